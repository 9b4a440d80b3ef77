from django.db import migrations


def record_assessed_sites(apps, schema_editor):
    # An approved 9 § assessment now names, in its snapshot, the site it was approved for: it covers the
    # camera there only. Assessments approved before knew no site; the camera's site today is the best
    # record of it (a camera moved before this migration is not found out).
    assessments = apps.get_model("compliance", "SurveillanceAssessment").objects
    changed = []
    for assessment in assessments.exclude(snapshot=None).exclude(camera=None).select_related("camera"):
        if isinstance(assessment.snapshot, dict) and "site_id" not in assessment.snapshot:
            assessment.snapshot = {**assessment.snapshot, "site_id": assessment.camera.site_id}
            changed.append(assessment)
    assessments.bulk_update(changed, ["snapshot"], batch_size=500)


def forget_stored_results(apps, schema_editor):
    # Stored findings kept their message parts as Swedish text; dropped, they are computed again with parts
    # each reader's language shows (`trygg.compliance.stored.recompute_missing`, `trygg recompute_checklists`).
    apps.get_model("compliance", "StoredChecklist").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0010_legal_task_citations"),
    ]

    operations = [
        migrations.RunPython(record_assessed_sites, migrations.RunPython.noop),
        migrations.RunPython(forget_stored_results, migrations.RunPython.noop),
    ]
