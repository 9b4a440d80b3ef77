"""The exemption choice offers exactly the 11–13 §§ grounds the rules engine can accept."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib

import pytest
from django.apps import apps

from trygg.cameras.choices import Exemption
from trygg.cameras.models import Camera
from trygg.compliance.engine.facts import EXEMPTIONS_11_13
from trygg.compliance.engine.rules import exemption_applies, exemption_problem
from trygg.compliance.engine.tests.cases import school


def test_the_choice_is_the_engines_list_of_grounds():
    assert set(Exemption.values) == set(EXEMPTIONS_11_13)
    assert "other" not in Exemption.values


@pytest.mark.parametrize("code", Exemption.values)
def test_every_ground_offered_can_be_accepted(code):
    facts = school(
        exemption_11_13=code,
        exemption_justification="Skäl enligt lagen.",
        is_parking_garage=code == "parking_garage_crime",
    )
    assert exemption_problem(facts) is None
    assert exemption_applies(facts, dt.date(2025, 6, 1))
    # A ground without its justification is not accepted.
    assert exemption_problem(dataclasses.replace(facts, exemption_justification=" ")) is not None


@pytest.mark.django_db
def test_the_migration_moves_other_into_the_notes():
    migration = importlib.import_module("trygg.cameras.migrations.0006_remove_other_exemption")
    camera = Camera.objects.get(identifier="TORG-01")
    Camera.objects.filter(pk=camera.pk).update(
        exemption="other", exemption_justification="Torget är ett skyddsobjekt enligt länsstyrelsen."
    )
    migration.forwards(apps, None)
    camera.refresh_from_db()
    assert camera.exemption == "" and camera.exemption_justification == ""
    assert "Tidigare angivet undantag ”Annat undantag enligt 11–13 §§” togs bort" in camera.notes
    assert "Motivering som angavs: Torget är ett skyddsobjekt enligt länsstyrelsen." in camera.notes
    assert camera.notes.startswith("Illustrativt exempel")  # what was there is kept first
