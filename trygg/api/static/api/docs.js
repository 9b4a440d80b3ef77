// Starts Swagger UI on the REST API's documentation page (/api/v1/docs/); no inline script under the CSP.
document.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("swagger-ui");
  if (!element || typeof SwaggerUIBundle === "undefined") return;
  SwaggerUIBundle({
    url: element.dataset.schemaUrl,
    domNode: element,
    deepLinking: false,
    validatorUrl: null, // no call to validator.swagger.io: nothing leaves the server
    // The session cookie signs the requests in; Django's CSRF token goes with writes made from the page.
    requestInterceptor: function (request) {
      var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
      if (match) request.headers["X-CSRFToken"] = decodeURIComponent(match[1]);
      return request;
    },
  });
});
