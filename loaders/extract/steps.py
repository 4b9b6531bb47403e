"""The extraction pipeline, in order. Importing this module registers every step: report first
(it finds the publishing council and the report's date, which later steps use), then people and
organisations, then inspections and what hangs off them."""

from loaders.extract import (  # noqa: F401
    report,
    people,
    inspections,
    interventions,
    recommendations,
    programmes,
    money,
    legislation,
)
