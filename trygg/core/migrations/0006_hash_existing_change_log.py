"""Give every existing change-log entry its place in the hash chain, in id order, and record the chain head."""

from django.db import migrations

from trygg.core import chain


def hash_existing(apps, schema_editor):
    ObjectChange = apps.get_model("core", "ObjectChange")
    ChainHead = apps.get_model("core", "ChainHead")
    db = schema_editor.connection.alias
    previous = ""
    last_id = None
    while True:
        # Pages by id rather than one open cursor, because the rows are updated while they are read.
        rows = ObjectChange.objects.using(db).order_by("pk").values("id", *chain.HASHED_FIELDS)
        page = list((rows.filter(pk__gt=last_id) if last_id is not None else rows)[:2000])
        if not page:
            break
        for row in page:
            row["previous_hash"] = previous
            digest = chain.entry_hash(row)
            ObjectChange.objects.using(db).filter(pk=row["id"]).update(previous_hash=previous, entry_hash=digest)
            previous, last_id = digest, row["id"]
    ChainHead.objects.using(db).update_or_create(pk=1, defaults={"last_entry_id": last_id, "last_hash": previous})


def forget_hashes(apps, schema_editor):
    apps.get_model("core", "ChainHead").objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0005_change_log_hash_chain")]

    operations = [migrations.RunPython(hash_existing, forget_hashes)]
