# The app starts empty so that its evaluation and review models can be added side by side.
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []
    operations: list = []
