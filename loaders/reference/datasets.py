"""Where each reference file came from: the facts every reference graph's dataset node carries.
Keep in step with data/reference/README.md when a file is updated."""

from __future__ import annotations

from dataclasses import dataclass

from loaders.reference.councils import D2I_CSV, DATA_DIR, GSS_LOOKUP_CSV, NAME_LOOKUP_CSV, REGISTER_CSV
from loaders.reference.ofsted import OUTCOMES_CSV

MIT = "https://opensource.org/licenses/MIT"
MYSOCIETY_REPO = "https://github.com/mysociety/uk_local_authority_names_and_codes"
D2I_REPO = "https://github.com/JT-39/ofsted-ilacs-scrape-tool"


@dataclass(frozen=True)
class Dataset:
    key: str  # slug used in the dataset's IRI
    file: str  # name in data/reference
    title: str
    repository: str
    path: str  # inside the repository
    commit: str
    licence: str  # licence IRI

    @property
    def local_path(self):
        return DATA_DIR / self.file


REGISTER = Dataset(
    "mysociety-uk-local-authorities", REGISTER_CSV,
    "mySociety register of UK local authorities (past and current)",
    MYSOCIETY_REPO, "data/packages/uk_la_past_current/uk_local_authorities_current.csv",
    "67ef8b118938678401a452f4f19f669a7221cc73", MIT,
)
NAME_LOOKUP = Dataset(
    "mysociety-name-lookup", NAME_LOOKUP_CSV,
    "mySociety lookup of local authority names to register codes",
    MYSOCIETY_REPO, "data/packages/uk_la_past_current/lookup_name_to_registry.csv",
    "049128b001e9483c9a6cb5641cf6c2dac6f7b3b9", MIT,
)
GSS_LOOKUP = Dataset(
    "mysociety-gss-lookup", GSS_LOOKUP_CSV,
    "mySociety lookup of present and former GSS codes to register codes",
    MYSOCIETY_REPO, "data/packages/uk_la_past_current/lookup_gss_to_registry.csv",
    "049128b001e9483c9a6cb5641cf6c2dac6f7b3b9", MIT,
)
D2I_LOOKUP = Dataset(
    "d2i-la-lookup", D2I_CSV,
    "Data to Insight local authority lookup (Ofsted URN, DfE number, statistical neighbours)",
    D2I_REPO, "import_data/la_lookup/Provider_data_lookup.csv",
    "c6a37a9983a9c56c931710d653dc2564f1b0f132", MIT,
)
OFSTED_OUTCOMES = Dataset(
    "ofsted-ilacs-history", OUTCOMES_CSV,
    "Ofsted children's services inspection outcomes, scraped from the published reports by Data to Insight",
    D2I_REPO, "ofsted_csc_ilacs_history.csv",
    "ba9cbc80404e700489524f10428aa4e0ba731976", MIT,
)

COUNCIL_DATASETS = (REGISTER, NAME_LOOKUP, GSS_LOOKUP, D2I_LOOKUP)
OUTCOME_DATASETS = (OFSTED_OUTCOMES, D2I_LOOKUP)
