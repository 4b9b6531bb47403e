"""The cskg vocabulary, SKOS schemes and SHACL shapes, as Turtle files beside this module."""

from pathlib import Path

ONTOLOGY_DIR = Path(__file__).resolve().parent
