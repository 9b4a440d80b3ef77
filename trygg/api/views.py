"""REST API v1: thin views over the domain's querysets and services, guarded by `RolePermission`.

Each view names `access_rule` (reading) and `write_rule` (writing) from `trygg.core.roles`: the same
predicates as the pages showing the same data, and every queryset goes through `roles.scope_queryset`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F, Prefetch, QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions as drf_exceptions
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import TemplateHTMLRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from trygg.api import serializers as api
from trygg.api.errors import Conflict, PreconditionFailed
from trygg.cameras import services as camera_services
from trygg.cameras.filters import CameraFilter
from trygg.cameras.models import Camera, CameraTransition
from trygg.compliance import registers
from trygg.compliance.models import ChildRightsAssessment, ImpactAssessment, SurveillanceAssessment
from trygg.core import export_cache, roles, versions
from trygg.core.params import BadParameter, date_param, year_param
from trygg.incidents import listing as incident_listing
from trygg.incidents import stored as incident_stored
from trygg.incidents.access import sees_incident_details
from trygg.incidents.filters import IncidentFilter
from trygg.incidents.models import Incident
from trygg.programme import services as programme_services
from trygg.programme.filters import ProjectFilter
from trygg.programme.models import Project
from trygg.sites.filters import SiteFilter, ZoneFilter
from trygg.sites.models import DialogueNote, Measure, Site, Zone


class ScopedViewSet(viewsets.GenericViewSet):
    """A model's objects as the user may see them (trygg.core.roles.scope_queryset); writes in one transaction."""

    base_queryset: QuerySet
    lookup_value_regex = "[0-9]+"  # ids are integers; anything else is the API's JSON 404

    def get_queryset(self) -> QuerySet:
        return roles.scope_queryset(self.request.user, self.base_queryset.all())

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        with transaction.atomic():
            serializer.save()

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        with transaction.atomic():
            serializer.save()


class ReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    pass


def _claimed_version(request: Request) -> int | None:
    """The version in `If-Match: "<n>"` (the ETag of a read), None without the header; 400 for a bad one."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    value = header.removeprefix("W/").strip('"')
    if not value.isdigit() or len(value) > 18:
        raise drf_exceptions.ValidationError(
            {"If-Match": [gettext('Rubriken If-Match ska vara objektets ETag, t.ex. "1234".')]}
        )
    return int(value)


class CreatableViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    """Objects the pages only add (a site's measures and dialogue notes): read, and create in one transaction."""


class EditableViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyViewSet):
    """Reads carry the object's version as ETag; a change sent with If-Match is refused (412) if it is stale.

    The version is the id of the object's latest change-log entry (`trygg.core.versions`), the same one the
    web forms carry, so an API client and an officer in a form cannot overwrite each other unknowingly. When
    the serializer validates with the page's form, the form's related models and events count as well.
    """

    def _version_of(self, instance: Any) -> int:
        form = getattr(self.get_serializer_class(), "form_class", None)
        return versions.current_version(
            instance, getattr(form, "version_related_models", ()), getattr(form, "version_events", ())
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        response["ETag"] = f'"{self._version_of(instance)}"'
        return response

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().update(request, *args, **kwargs)
        response["ETag"] = f'"{self._version_of(self.get_object())}"'
        return response

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        claimed = _claimed_version(self.request)
        form = getattr(serializer, "form_class", None)
        with transaction.atomic():
            try:
                versions.check_version(
                    serializer.instance,
                    claimed,
                    getattr(form, "version_related_models", ()),
                    events=getattr(form, "version_events", ()),
                )
            except versions.StaleEditError as error:
                raise PreconditionFailed(error.conflict.messages()) from error
            serializer.save()


@extend_schema(tags=["platser"])
class SiteViewSet(EditableViewSet):
    """Sites (platser). Staff read (the administration contact its own administration's); the unit writes."""

    access_rule = roles.is_staff_role
    write_rule = roles.edits_register
    base_queryset = Site.objects.all()
    serializer_class = api.SiteSerializer
    filterset_class = SiteFilter


@extend_schema(tags=["platser"])
class ZoneViewSet(EditableViewSet):
    """Zones (områden) of the sites, with the rule for whether they may be filmed; the unit writes them, as on
    the zone page (the site is given when the zone is created)."""

    access_rule = roles.is_staff_role
    write_rule = roles.edits_register
    base_queryset = Zone.objects.all()
    serializer_class = api.ZoneSerializer
    filterset_class = ZoneFilter


@extend_schema(tags=["platser"])
class MeasureViewSet(CreatableViewSet):
    """Measures tried at the sites before cameras (övriga åtgärder). Staff read; the unit and the
    administration contact (at its own administration's sites) add them, as on the site's page."""

    access_rule = roles.is_staff_role
    write_rule = roles.adds_site_notes
    base_queryset = Measure.objects.all()
    serializer_class = api.MeasureSerializer
    filterset_fields = ["site"]


@extend_schema(tags=["platser"])
class DialogueNoteViewSet(CreatableViewSet):
    """Notes of the dialogue with the administrations (dialoganteckningar), added as on the site's page."""

    access_rule = roles.is_staff_role
    write_rule = roles.adds_site_notes
    base_queryset = DialogueNote.objects.all()
    serializer_class = api.DialogueNoteSerializer
    filterset_fields = ["site", "project"]


@extend_schema(tags=["kameror"])
class CameraViewSet(EditableViewSet):
    """Cameras with their life-cycle history and stored coverage figures; moves go through the gate."""

    access_rule = roles.is_staff_role
    write_rule = roles.edits_register
    base_queryset = Camera.objects.prefetch_related(
        Prefetch("transitions", queryset=CameraTransition.objects.order_by("sequence"))
    )
    serializer_class = api.CameraSerializer
    filterset_class = CameraFilter

    @extend_schema(request=api.MoveSerializer, responses={200: api.CameraSerializer})
    @action(detail=True, methods=["post"], url_path="move")
    def move(self, request: Request, pk: str | None = None) -> Response:
        """Move the camera in its life cycle (trygg.cameras.services.move); a refused move answers 409 with
        the reasons, e.g. the compliance gate's missing documents for "i drift"."""
        camera = self.get_object()
        data = api.MoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            camera_services.move(
                camera,
                data.validated_data["to_state"],
                data.validated_data["occurred_on"],
                request.user,
                data.validated_data["note"],
            )
        except DjangoValidationError as error:
            raise Conflict(error.messages) from error
        return Response(self.get_serializer(self.get_queryset().get(pk=camera.pk)).data)


@extend_schema(tags=["projekteringar"])
class ProjectViewSet(EditableViewSet):
    """Projects (projekteringar) with their cameras; the unit writes them through the project page's form."""

    access_rule = roles.is_staff_role
    write_rule = roles.edits_register
    base_queryset = Project.objects.prefetch_related(Prefetch("cameras", queryset=Camera.objects.only("pk", "project")))
    serializer_class = api.ProjectSerializer
    filterset_class = ProjectFilter


@extend_schema(tags=["behov"])
class IncidentViewSet(ReadOnlyViewSet):
    access_rule = sees_incident_details
    base_queryset = Incident.objects.all()
    serializer_class = api.IncidentSerializer
    filterset_class = IncidentFilter

    def get_queryset(self) -> QuerySet:
        """The user's incidents. A list limited to some sites (an administration contact's) is read in id
        order in whichever of two ways reads fewer rows at a million incidents: walk every incident by id and
        keep the sites' until the page is full, or gather the sites' incidents and sort them
        (`trygg.incidents.listing.walks_newest_first`, from the cached counts; two queries whatever the data).
        """
        scoped = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reads the model only
            return scoped
        if self.action != "list" or roles.sees_everything(self.request.user):
            return scoped
        site_ids = list(roles.scope_queryset(self.request.user, Site.objects.all()).values_list("pk", flat=True))
        version = incident_stored.current_version()
        in_scope = incident_listing.count_of(Incident.objects.filter(site_id__in=site_ids), version)
        total = incident_listing.count_of(Incident.objects.all(), version)
        if incident_listing.walks_newest_first(0, self.paginator.get_page_size(self.request), in_scope, total):
            # `site_id + 0` hides the site index from the planner, so it walks the primary key instead.
            return Incident.objects.alias(walk_site=F("site_id") + 0).filter(walk_site__in=site_ids)
        return Incident.objects.filter(site_id__in=site_ids)


@extend_schema(tags=["bedömningar"])
class SurveillanceAssessmentViewSet(ReadOnlyViewSet):
    """Assessments under 9 § kamerabevakningslagen (intresseavvägningar), every version."""

    access_rule = roles.sees_all_sites
    base_queryset = SurveillanceAssessment.objects.all()
    serializer_class = api.SurveillanceAssessmentSerializer
    filterset_fields = ["status", "camera"]


@extend_schema(tags=["bedömningar"])
class ImpactAssessmentViewSet(ReadOnlyViewSet):
    """Data protection impact assessments (konsekvensbedömningar, art. 35 GDPR), every version."""

    access_rule = roles.sees_all_sites
    base_queryset = ImpactAssessment.objects.all()
    serializer_class = api.ImpactAssessmentSerializer
    filterset_fields = ["status", "site"]


@extend_schema(tags=["bedömningar"])
class ChildRightsAssessmentViewSet(ReadOnlyViewSet):
    """Child-rights assessments (barnrättsprövningar), every version."""

    access_rule = roles.sees_all_sites
    base_queryset = ChildRightsAssessment.objects.all()
    serializer_class = api.ChildRightsAssessmentSerializer
    filterset_fields = ["status", "site"]


def _date(request: Request, name: str = "datum", *, up_to_today: bool = False) -> Any:
    """The date of `?<name>=` (`trygg.core.params.date_param`); a refused one is DRF's 400 naming the field."""
    try:
        return date_param(request, name, up_to_today=up_to_today)
    except BadParameter as error:
        raise serializers.ValidationError({name: [str(error)]}) from error


DATE = OpenApiParameter(
    "datum", OpenApiTypes.DATE, description="ÅÅÅÅ-MM-DD, år 1900–2100; i dag om den utelämnas.", required=False
)
PAST_DATE = OpenApiParameter(
    "datum",
    OpenApiTypes.DATE,
    description="ÅÅÅÅ-MM-DD, från år 1900 till och med i dag (kameror i drift räknas bara för dagar som har varit); "
    "i dag om den utelämnas.",
    required=False,
)
YEAR = OpenApiParameter("ar", OpenApiTypes.INT, description="Årtal 1900–2100; i år om det utelämnas.", required=False)


class RegisterView(APIView):
    """The register of surveillance (10 § kamerabevakningslagen) as of a date; the export is logged."""

    access_rule = roles.sees_all_sites

    @extend_schema(tags=["förteckning"], parameters=[DATE], responses=api.RegisterSerializer)
    def get(self, request: Request) -> HttpResponse:
        """The whole register, rendered once per state of the data, date and user scope, then served as
        it is (`trygg.core.export_cache`, as the register CSV): a 10 § register extract is one document
        with its marking, so it is kept whole rather than paged, and a repeated download costs no work per
        row. The bytes are those DRF's renderer gives for the serializer's data."""
        on_date = _date(request)
        renderer, media_type = request.accepted_renderer, request.accepted_media_type
        context = self.get_renderer_context()

        def build() -> tuple[bytes, dict[str, Any]]:
            data = api.RegisterSerializer(registers.register_context(on_date)).data
            return renderer.render(data, media_type, context), {}

        body, _details = export_cache.get_or_build(f"api_register:{on_date.isoformat()}:{media_type}", request, build)
        registers.log_register_export("json", on_date, request.user)
        content_type = f"{renderer.media_type}; charset={renderer.charset}" if renderer.charset else renderer.media_type
        return HttpResponse(body, content_type=content_type)


class IndicatorView(APIView):
    """The main indicator (cameras in operation) as of a date, with its series, targets and breakdowns."""

    access_rule = roles.follows_programme

    @extend_schema(tags=["uppföljning"], parameters=[PAST_DATE], responses=api.IndicatorSerializer)
    def get(self, request: Request) -> Response:
        # Cameras in operation are a count of what has happened: no date after today (as on the page).
        overview = programme_services.indicator_overview(_date(request, up_to_today=True))
        return Response(api.IndicatorSerializer(overview).data)


class BudgetView(APIView):
    """The year's budget: allocated, carried in, committed, spent, planned, by category, with warnings."""

    access_rule = roles.follows_programme

    @extend_schema(tags=["uppföljning"], parameters=[YEAR], responses=api.BudgetSerializer)
    def get(self, request: Request) -> Response:
        try:
            year = year_param(request)
        except BadParameter as error:
            raise serializers.ValidationError({"ar": [str(error)]}) from error
        budget = programme_services.budget_for_year(year)
        data = {name: getattr(budget, name) for name in api.BudgetSerializer().fields if name != "warnings"}
        data["warnings"] = programme_services.budget_warnings(budget)
        return Response(api.BudgetSerializer(data).data)


class MeView(APIView):
    """Who the request acts as: the user, the user's roles now and the key's name (None for a session)."""

    access_rule = roles.has_role

    @extend_schema(tags=["konto"], responses=api.ApiTokenSerializer)
    def get(self, request: Request) -> Response:
        token = request.auth if hasattr(request.auth, "name") else None
        data = {
            "username": request.user.get_username(),
            "roles": sorted(roles.roles_of(request.user)),
            "token_name": token.name if token is not None else None,
        }
        return Response(api.ApiTokenSerializer(data).data)


class NotFoundView(APIView):
    """Any other address under /api/: 404 in the API's error shape, not the HTML error page."""

    access_rule = roles.public
    schema = None

    def get(self, request: Request, path: str = "") -> Response:
        raise NotFound

    post = put = patch = delete = get


class DocsView(APIView):
    """The browsable documentation (Swagger UI from npm, started by a static script: CSP allows no inline)."""

    access_rule = roles.public
    renderer_classes = [TemplateHTMLRenderer]
    template_name = "api/docs.html"
    schema = None

    def get(self, request: Request) -> Response:
        return Response({"schema_url": reverse("api:schema"), "title": gettext("REST-API")})
