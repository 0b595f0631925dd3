# Search folds diacritics in the database (PostgreSQL unaccent); on SQLite the
# operation does nothing and a Python function stands in (agencies.lookups).
from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("agencies", "0001_initial")]
    operations = [UnaccentExtension()]
