from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0004_stored_counts"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(fields=["source", "occurred_on"], name="incidents_i_source__276e27_idx"),
        ),
    ]
