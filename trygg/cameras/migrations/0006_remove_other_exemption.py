"""The exemption "Annat undantag enligt 11–13 §§" is gone: it is no ground in the law and the rules
engine always rejected it, so the duties of 8–10 §§ applied to such cameras all along.

Cameras that claimed it get no exemption, which is what the checks already assumed; the claim and
its justification are kept word for word in the camera's notes so nothing the officer wrote is lost.
"""

from django.db import migrations

NOTE = (
    "Tidigare angivet undantag ”Annat undantag enligt 11–13 §§” togs bort: det är ingen grund i "
    "kamerabevakningslagen och godtogs aldrig av kontrollerna, så kraven i 8–10 §§ gäller."
)


def forwards(apps, schema_editor):
    Camera = apps.get_model("cameras", "Camera")
    for camera in Camera.objects.filter(exemption="other"):
        lines = [camera.notes.strip(), NOTE]
        if camera.exemption_justification.strip():
            lines.append("Motivering som angavs: " + camera.exemption_justification.strip())
        camera.notes = "\n\n".join(line for line in lines if line)
        camera.exemption = ""
        camera.exemption_justification = ""
        camera.save(update_fields=["notes", "exemption", "exemption_justification"])


class Migration(migrations.Migration):
    dependencies = [("cameras", "0005_privacy_mask_and_exemptions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
