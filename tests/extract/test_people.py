"""People and roles: invented sentences in the style of many councils' reports, the identity
rule, things that are not people, and the five samples against the gold file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.extract import Context
from loaders.extract.people import extract_people, parse_name, person_ref, resolve_people, role_slug
from loaders.extract.report import extract_report
from loaders.model import Document, Membership, OrgRef, PartialDate, PersonMention

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"


def run(text: str, publisher: str | None = "Slough Borough Council") -> Context:
    """The report step then the people step over `text`; `publisher` prefixes a letterhead."""
    if publisher:
        text = f"{publisher.upper()}\n\n{text}"
    doc = Document("t.txt", "t.txt", "text/plain", "0", text)
    ctx = Context(doc)
    for step in (extract_report, extract_people):
        for fact in step(ctx):
            assert fact.evidence.check(text), fact
            ctx.facts.append(fact)
    return ctx


def people(ctx: Context) -> dict[str, object]:
    return {f.person.name: f.person for f in ctx.facts if isinstance(f, PersonMention)}


def roles(ctx: Context) -> list[tuple[str, str, str | None]]:
    return sorted(
        (f.person.name, f.role, f.org.name if f.org else None) for f in ctx.facts if isinstance(f, Membership)
    )


def membership(ctx: Context, name: str, role: str) -> Membership:
    found = [f for f in ctx.facts if isinstance(f, Membership) and f.person.name == name and f.role == role]
    assert len(found) == 1, roles(ctx)
    return found[0]


SLOUGH = "Slough Borough Council"

# ---------------------------------------------------------------------------------- roles


@pytest.mark.parametrize(
    "sentence, name, role, org",
    [
        ("The Director of Children's Services, Jane Hollis, presented the report.", "Jane Hollis",
         "director-of-childrens-services", SLOUGH),
        ("Councillor Amrit Mann, Cabinet Member for Children's Services, introduced the item.", "Amrit Mann",
         "cabinet-member", SLOUGH),
        ("The Minister for Children and Families, Edward Timpson MP, wrote to the Council.", "Edward Timpson",
         "minister", None),
        ("The Secretary of State for Education, Damian Hinds, has accepted the recommendation.", "Damian Hinds",
         "minister", None),
        ("The Commissioner is John Coughlan, the Chief Executive of Hampshire County Council.", "John Coughlan",
         "chief-executive", "Hampshire County Council"),
        ("Dame Christine Gilbert has been appointed as the Chair of the Improvement Board.", "Christine Gilbert",
         "chair", None),
        ("Lead inspector: Nick Stacey HMI", "Nick Stacey", "lead-inspector", None),
        ("Mark Rogers, Chief Executive of Birmingham Children's Trust, attended the meeting.", "Mark Rogers",
         "chief-executive", "Birmingham Children's Trust"),
        ("The Leader of the Council, Cllr Sabia Hussain, thanked staff.", "Sabia Hussain", "leader-of-the-council",
         SLOUGH),
        ("Contact officer: Priya Shah, Head of Early Help, 01234 567890", "Priya Shah", "head-of-early-help", SLOUGH),
        ("The Executive Director, Children's Services, Alison Michalska, confirmed this.", "Alison Michalska",
         "director-of-childrens-services", SLOUGH),
        ("The Improvement Adviser, Gladys Rhodes White, will report quarterly.", "Gladys Rhodes White",
         "improvement-adviser", None),
    ],
)
def test_role_sentences(sentence, name, role, org):
    ctx = run(sentence)
    assert name in people(ctx), roles(ctx)
    m = membership(ctx, name, role)
    if org is None:
        assert m.org is None or not m.org.is_council
    else:
        assert m.org is not None and m.org.name == org
    assert sentence.split(",")[0][:15] in m.evidence.quote or name.split()[0] in m.evidence.quote


def test_chair_of_a_named_national_body():
    ctx = run("Lord Kamlesh Kumar Patel OBE has since been announced as the Chair of Social Work England.")
    m = membership(ctx, "Kamlesh Kumar Patel", "chair")
    assert m.org == OrgRef("Social Work England", kind="regulator")
    assert m.person.title == "Lord" and m.person.honours == "OBE"


def test_chaired_by_names_the_board():
    ctx = run("The Corporate Parenting Panel, chaired by Councillor Ruth Evans, meets quarterly.")
    m = membership(ctx, "Ruth Evans", "chair")
    assert m.org is not None and m.org.name == "Corporate Parenting Panel"


def test_commissioner_appointment_with_date_and_appointer():
    ctx = run(
        "The Secretary of State appointed Eleanor Brazil as Commissioner for Children's Services in Sandwell "
        "on 13 October 2016.",
        publisher=None,
    )
    m = membership(ctx, "Eleanor Brazil", "childrens-services-commissioner")
    assert m.org is not None and m.org.gss == "E08000028"
    assert m.start is not None and m.start.value == "2016-10-13"
    assert m.appointed_by is not None and m.appointed_by.name == "Department for Education"


def test_commissioner_named_in_the_sentence_after_the_appointment():
    text = (
        "On 5 March 2018, the Department for Education (DfE) appointed a Children's Commissioner for "
        "Buckinghamshire. The Commissioner is John Coughlan (CBE) who is the Chief Executive of Hampshire County "
        "Council."
    )
    ctx = run(text, publisher=None)
    m = membership(ctx, "John Coughlan", "childrens-services-commissioner")
    assert m.org is not None and m.org.gss == "E10000002"  # the county council in force in 2018
    assert m.start is not None and m.start.value == "2018-03-05"
    assert m.appointed_by is not None and m.appointed_by.kind == "government"
    assert m.evidence.quote.startswith("On 5 March 2018")
    assert membership(ctx, "John Coughlan", "chief-executive").org.gss == "E10000014"
    assert people(ctx)["John Coughlan"].honours == "CBE"


def test_the_commissioner_was_appointed_on_a_date():
    ctx = run("The Commissioner, Jane Doe, was appointed on 5 March 2018 to lead the review.")
    m = membership(ctx, "Jane Doe", "childrens-services-commissioner")
    assert m.start is not None and m.start.value == "2018-03-05"
    assert m.org is not None and m.org.name == SLOUGH


def test_left_the_post():
    ctx = run("Helen Lincoln, the interim Director of Children's Services, left the council in March 2020.")
    m = membership(ctx, "Helen Lincoln", "director-of-childrens-services")
    assert m.end is not None and m.end.value == "2020-03" and m.start is None


def test_possessive_role_belongs_to_someone_else():
    ctx = run("The Commissioner with his Director of Children's Services, Steve Crocker, is reviewing the service.")
    m = membership(ctx, "Steve Crocker", "director-of-childrens-services")
    assert m.org is None


def test_a_former_role_is_not_a_current_membership():
    ctx = run("Dr Maggie Atkinson, the former Children's Commissioner for England, spoke at the event.")
    assert "Maggie Atkinson" in people(ctx)
    assert roles(ctx) == []


def test_front_matter_fields():
    text = (
        "Report to: Cabinet\nDate: 12 March 2020\nCabinet Member: Cllr Jo Nelson\n"
        "CONTACT OFFICER: Nicola Clemo (Chief Executive, Slough Children's Services Trust)\n"
        "Cate Duffy (Director of Children's Service)\n(For all enquiries) (01753) 875 751\n"
        "SLT Lead: Tim Aldridge\n"
        "Report Author and contact details: Ali Omar <u>ali.omar@havering.gov.uk</u> 01708 431671\n"
        "Report Author: Jo Bloggs Jo.bloggs@havering.gov.uk\n"
    )
    ctx = run(text)
    got = set(roles(ctx))
    assert ("Jo Nelson", "cabinet-member", SLOUGH) in got
    assert ("Nicola Clemo", "contact-officer", SLOUGH) in got
    assert ("Nicola Clemo", "chief-executive", "Slough Children's Services Trust") in got
    assert ("Cate Duffy", "contact-officer", SLOUGH) in got
    assert ("Cate Duffy", "director-of-childrens-services", SLOUGH) in got
    assert ("Tim Aldridge", "slt-lead", SLOUGH) in got
    assert ("Ali Omar", "report-author", SLOUGH) in got
    assert ("Jo Bloggs", "report-author", SLOUGH) in got  # the e-mail address is not part of the name
    assert membership(ctx, "Tim Aldridge", "slt-lead").role_title == "SLT Lead"
    trust = [f for f in ctx.facts if type(f).__name__ == "OrganisationMention" and f.org.kind == "trust"]
    assert [f.org.name for f in trust] == ["Slough Children's Services Trust"]


def test_front_matter_in_capitals():
    ctx = run("CONTACT OFFICER: JANE SMITH (CHIEF EXECUTIVE, SLOUGH CHILDREN'S SERVICES TRUST)\n")
    got = set(roles(ctx))
    assert ("Jane Smith", "contact-officer", SLOUGH) in got
    assert ("Jane Smith", "chief-executive", "Slough Children's Services Trust") in got
    assert [f.evidence.quote for f in ctx.facts if isinstance(f, PersonMention)] == ["JANE SMITH"]


def test_value_on_the_next_line_and_sign_off():
    text = (
        "Tony Kershaw\n\nDirector of Law and Assurance\n\nIf calling please ask for:\n\n"
        "Natalie Jones-Punch on 033 022 25098\n\nDear Member,\n\nThe report is attached.\n\n"
        "Sarah Clarke\nExecutive Director of Children's Services\n"
    )
    ctx = run(text, publisher="West Sussex County Council")
    ws = "West Sussex County Council"
    got = set(roles(ctx))
    assert ("Tony Kershaw", "director-of-law-and-assurance", ws) in got
    assert ("Natalie Jones-Punch", "contact-officer", ws) in got
    assert ("Sarah Clarke", "director-of-childrens-services", ws) in got


def test_trust_is_normalised_to_the_trust_the_report_names():
    text = (
        "Slough Children's Services Trust ('the Trust') took over children's social care in 2015. "
        "Jane Smith, Chief Executive of the Trust, reported progress."
    )
    ctx = run(text)
    assert membership(ctx, "Jane Smith", "chief-executive").org.name == "Slough Children's Services Trust"


def test_starting_in_post():
    ctx = run(
        "Matt Pope joined as Director of Children's Services in April 2019. Carol Cammiss will take up the post "
        "of Director of Children's Services on 1 May 2020."
    )
    assert membership(ctx, "Matt Pope", "director-of-childrens-services").start.value == "2019-04"
    assert membership(ctx, "Carol Cammiss", "director-of-childrens-services").start.value == "2020-05-01"


def test_dates_only_when_they_date_the_role():
    ctx = run("Jane Smith, Director of Children's Services, reported from the visit on 12 May 2019.")
    m = membership(ctx, "Jane Smith", "director-of-childrens-services")
    assert (m.start, m.end) == (None, None)
    ctx = run("Jane Smith, Director of Children's Services, has been in post since May 2017.")
    assert membership(ctx, "Jane Smith", "director-of-childrens-services").start.value == "2017-05"


@pytest.mark.parametrize(
    "sentence, name, role, start",
    [
        ("We welcomed Jane Smith, who joined as DCS in May 2019.", "Jane Smith", "director-of-childrens-services",
         "2019-05"),
        ("Jane Smith became Director of Children's Services in 2017.", "Jane Smith", "director-of-childrens-services",
         "2017"),
        ("Cllr Jane Smith (Cabinet Member for Children's Services) was appointed on 21 May 2019.", "Jane Smith",
         "cabinet-member", "2019-05-21"),
        ("Director of Children's Services (Jane Smith) reported.", "Jane Smith", "director-of-childrens-services",
         None),
        ("Ms Jane Smith – Chief Executive – opened the meeting.", "Jane Smith", "chief-executive", None),
        ("The Cabinet appointed Jane Smith as Interim Director of Children's Services from 3 June 2019.",
         "Jane Smith", "director-of-childrens-services", "2019-06-03"),
    ],
)
def test_more_role_phrasings(sentence, name, role, start):
    m = membership(run(sentence), name, role)
    assert (m.start.value if m.start else None) == start
    assert m.org is not None and m.org.name == SLOUGH


def test_ofsted_inspector_belongs_to_ofsted():
    m = membership(run("Ofsted's lead inspector, Jane Smith HMI, led the visit."), "Jane Smith", "lead-inspector")
    assert m.org == OrgRef("Ofsted", kind="regulator")


def test_table_rows_and_report_of():
    text = (
        "| Name of Cabinet Member | Councillor Charlotte Haitham Taylor |\n"
        "| Report of | Sal Thirlway, Assistant Director, Children's Social Care |\n\n"
        "| Director of Children's Services | Paul Senior |\n| Jane Smith | Head of Early Help |\n"
    )
    got = set(roles(run(text)))
    assert ("Charlotte Haitham Taylor", "cabinet-member", SLOUGH) in got
    assert ("Sal Thirlway", "report-author", SLOUGH) in got
    assert ("Paul Senior", "director-of-childrens-services", SLOUGH) in got
    assert ("Jane Smith", "head-of-early-help", SLOUGH) in got


def test_inspector_sign_off_and_post_nominals():
    text = "Yours sincerely\n\nLisa Pennington\nHer Majesty's Inspector\n\nHMI Marcus Cole and Ann Lee HMI visited."
    ctx = run(text)
    m = membership(ctx, "Lisa Pennington", "her-majestys-inspector")
    assert m.org is None  # a national role: not the council's
    assert {"Marcus Cole", "Ann Lee"} <= set(people(ctx))


def test_role_between_two_names_belongs_to_the_second():
    ctx = run("After the visit of Sir Alan Wood, the Children's Commissioner for England, Anne Longfield OBE, spoke.")
    assert roles(ctx) == [("Anne Longfield", "childrens-commissioner-for-england", None)]
    assert people(ctx)["Alan Wood"].title == "Sir"


def test_minister_with_rt_hon_and_mp():
    ctx = run("Rt Hon Nadhim Zahawi MP, Parliamentary Under-Secretary of State for Children and Families, wrote.")
    m = membership(ctx, "Nadhim Zahawi", "minister")
    assert (m.person.title, m.person.honours, m.org) == ("Rt Hon", "MP", None)


def test_former_role_with_a_leaving_date():
    ctx = run("The former DCS, Eleanor Brazil, left in March 2018.")
    m = membership(ctx, "Eleanor Brazil", "director-of-childrens-services")
    assert m.end.value == "2018-03" and m.start is None


def test_generic_board_is_named_by_its_council():
    ctx = run("The Improvement Board, chaired by Sir Paul Ennals, met in May.")
    assert membership(ctx, "Paul Ennals", "chair").org.name == "Slough Borough Council Improvement Board"


def test_partial_name_without_a_council_is_scoped_to_the_report():
    ctx = run("Lord Laming said so.", publisher=None)
    assert people(ctx)["Laming"].key == "laming--report-t-txt"


# ---------------------------------------------------------------------------------- not people


@pytest.mark.parametrize(
    "text",
    [
        "The Head of Service for Safeguarding will brief the Ofsted Inspection team.",
        "Social Work England will regulate social workers from 2019.",
        "SLOUGH CHILDREN'S SERVICES TRUST – UPDATE",
        "The Chief Executive, Walsall Council, wrote to the Director.",
        "Director of Children's Services, Milton Keynes, attended.",
        "Commissioner Related Activity",
        "Chair: Independent Chair of the Safeguarding Partnership",
        "The Cabinet Member for Children's Services will decide. Report to Cabinet.",
        "Slough Children have improved outcomes; Walsall children are safer.",
        "Contact officer: Head of Quality Assurance – 01296 382603",
        "The Director, Early Help, Youth Justice and Family Support, presented the plan.",
        "Pathway Planning and Transitions to Adulthood, chaired by the Head of Service.",
        "The Minister, Children's Social Care, visited.",
        "Mr Speaker. Dear Sir Or Madam, Dr Barnardo's and Action for Children were partners.",
        "Front Door Manager Team and Placement Sufficiency Manager posts. Edge of Care Service review.",
        "Director Front Door Services was restructured.",
        "Signs of Safety Practice Model\nDirector of Children's Services approved it.",
        "Digital Lives\n\nDirector of Children's Services will lead the work",
    ],
)
def test_no_person_for_things_that_are_not_people(text):
    ctx = run(text)
    assert people(ctx) == {}, people(ctx)
    assert roles(ctx) == []


def test_capitalised_pairs_without_a_role_are_not_people():
    ctx = run("Pathway Planning continues. Leaving Well and Digital Life Story Work are new. Amy Lee wrote it.")
    assert people(ctx) == {}


# ---------------------------------------------------------------------------------- names and identity


def test_parse_name_splits_honorifics_and_post_nominals():
    p = parse_name("Lord Kamlesh Kumar Patel OBE")
    assert (p.title, p.name, p.honours) == ("Lord", "Kamlesh Kumar Patel", "OBE")
    p = parse_name("Councillor B Cassidy")
    assert (p.title, p.name, p.full, p.initials) == ("Cllr", "B Cassidy", False, "B")
    assert parse_name("Dr Jane O'Neill-Smith CBE").name == "Jane O'Neill-Smith"
    for not_a_name in ("Head of Service", "Ofsted Inspection", "Social Work England", "Chief Executive", "Director"):
        assert parse_name(not_a_name) is None


def test_person_ref_keys():
    assert person_ref("John Coughlan").key == "john-coughlan"
    assert person_ref("Mr John Coughlan CBE").key == "john-coughlan"
    assert person_ref("John A. Coughlan") == person_ref("John Coughlan")
    walsall = OrgRef("Walsall Metropolitan Borough Council", "E08000030", "council")
    assert person_ref("Councillor B Cassidy", walsall).key == "b-cassidy--walsall-metropolitan-borough-council"
    assert person_ref("Cllr Cassidy", walsall).key == "cassidy--walsall-metropolitan-borough-council"
    assert person_ref("Children's Services", walsall) is None


def test_partial_name_merges_with_the_full_name_in_the_same_report():
    text = (
        "# Portfolio Holder Report of Councillor B Cassidy, Children's Services\n\nThe service improved.\n\n"
        "Councillor Barbara Cassidy Cabinet Member Children's Services April 2015\n"
    )
    ctx = run(text, publisher="Walsall Council")
    found = people(ctx)
    assert list(found) == ["Barbara Cassidy"]
    assert found["Barbara Cassidy"].key == "barbara-cassidy"
    assert ctx.values["people"]["Councillor B Cassidy"].key == "barbara-cassidy"
    assert membership(ctx, "Barbara Cassidy", "cabinet-member").org.gss == "E08000030"


def test_partial_name_alone_is_scoped_to_its_council():
    a = run("Cabinet Member: Cllr Smith\n", publisher="Slough Borough Council")
    b = run("Cabinet Member: Cllr Smith\n", publisher="Walsall Council")
    ka = people(a)["Smith"].key
    kb = people(b)["Smith"].key
    assert ka == "smith--slough-borough-council"
    assert ka != kb


def test_partial_name_keeps_one_scope_within_a_report():
    ctx = run("Mr Coughlan, Chief Executive of Hampshire County Council, visited. Mr Coughlan praised staff.")
    assert [p.key for p in people(ctx).values()] == ["coughlan--hampshire-county-council"]
    assert {v.key for v in ctx.values["people"].values()} == {"coughlan--hampshire-county-council"}


def test_full_name_is_one_person_across_reports():
    a = run("The Commissioner is John Coughlan, the Chief Executive of Hampshire County Council.", "Slough Borough Council")
    b = run("Contact officer: John Coughlan\n", "West Sussex County Council")
    assert people(a)["John Coughlan"].key == people(b)["John Coughlan"].key == "john-coughlan"


def test_ambiguous_initial_is_not_merged():
    refs = resolve_people(
        [(parse_name("John Smith"), None), (parse_name("Jane Smith"), None), (parse_name("Cllr J Smith"), None)]
    )
    assert [r.key for r in refs] == ["john-smith", "jane-smith", "j-smith"]
    refs = resolve_people([(parse_name("Mr Coughlan"), None), (parse_name("John Coughlan"), None)])
    assert refs[0].key == refs[1].key == "john-coughlan"
    assert refs[0].name == "John Coughlan"


def test_incompatible_initial_is_not_merged():
    refs = resolve_people([(parse_name("Barbara Cassidy"), None), (parse_name("Councillor T Cassidy"), None)])
    assert refs[0].key != refs[1].key


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Executive Director of Children's Services", "director-of-childrens-services"),
        ("Corporate Director, Children and Young People", "director-of-childrens-services"),
        ("DCS", "director-of-childrens-services"),
        ("Assistant Director, Children's Social Care", "assistant-director-childrens-social-care"),
        ("Children's Commissioner", "childrens-services-commissioner"),
        ("Children's Commissioner for England", "childrens-commissioner-for-england"),
        ("Portfolio Holder", "cabinet-member"),
        ("Deputy Leader", "deputy-leader"),
        ("Secretary of State for Education", "minister"),
        ("Director of Law and Assurance", "director-of-law-and-assurance"),
        ("Interim Chief Executive", "chief-executive"),
    ],
)
def test_role_slugs(title, slug):
    assert role_slug(title) == slug


# ---------------------------------------------------------------------------------- robustness


_PIECES = list("abcdeJKLMNO CDR,.:;()–-'\n\t") + [
    "Cllr ", "Director of ", "Smith", "Council", "Commissioner ", " is ", "appointed ", "Contact officer: ",
    "5 March 2018", "Jane ", "the Chief Executive of ", "Trust", "chaired by ",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), st.lists(st.sampled_from(_PIECES), max_size=60).map("".join)))
def test_arbitrary_text_never_crashes(text):
    ctx = run(text, publisher=None)
    for f in ctx.facts:
        assert 0 <= f.evidence.start < f.evidence.end <= len(text)


# ---------------------------------------------------------------------------------- the samples


def _gold():
    return json.loads((SAMPLES / "seeds-gold.json").read_text(encoding="utf-8"))


def _compatible(gold_name: str, name: str) -> bool:
    """A gold name is found when it is the extracted name, or a shorter form of it with the same
    surname and agreeing initials ("B Cassidy" ~ "Barbara Cassidy", "Bedi" ~ "Bedi")."""
    g, n = gold_name.split(), name.split()
    if g == n:
        return True
    if g[-1] != n[-1]:
        return False
    gi = "".join(w[0] for w in g[:-1])
    ni = "".join(w[0] for w in n[:-1])
    return all(len(w) == 1 for w in g[:-1]) and ni.startswith(gi)


@pytest.fixture(scope="module", params=["as-written", "reader"])
def sample_facts(request):
    """The samples as their files are written and as the text reader renders them."""
    from loaders.readers import read_document

    out = {}
    for path in sorted(SAMPLES.glob("*.txt")):
        if request.param == "reader":
            doc = read_document(path)
        else:
            doc = Document(path.name, str(path), "text/plain", "0", path.read_text(encoding="utf-8"))
        ctx = Context(doc)
        for step in (extract_report, extract_people):
            for fact in step(ctx):
                assert fact.evidence.check(doc.text)
                ctx.facts.append(fact)
        out[path.stem] = ctx.facts
    return out


def test_samples_people_recall_and_precision(sample_facts):
    gold = _gold()
    names = {(doc, f.person.name) for doc, facts in sample_facts.items() for f in facts if isinstance(f, PersonMention)}
    gold_names = set(gold["people"])
    found = [g for g in gold_names if any(_compatible(g, n) for _, n in names)]
    correct = [n for _, n in names if any(_compatible(g, n) for g in gold_names)]
    assert len(found) / len(gold_names) >= 0.9, sorted(gold_names - set(found))
    assert len(correct) / len(names) >= 0.95, sorted(n for _, n in names if n not in correct)


def test_samples_membership_recall(sample_facts):
    gold = _gold()
    missed = []
    for g in gold["memberships"]:
        ok = False
        for f in sample_facts[g["doc"]]:
            if not isinstance(f, Membership) or not _compatible(g["person"], f.person.name):
                continue
            label = f"{f.role_title} {f.role.replace('-', ' ')}".lower().replace("'", "")
            if g["role"].replace("'", "") not in label:
                continue
            if "org_gss" in g and (f.org is None or f.org.gss != g["org_gss"]):
                continue
            if g.get("org_name") and (f.org is None or g["org_name"].lower() not in f.org.name.lower()):
                continue
            if "start" in g and (f.start is None or f.start.value != g["start"]):
                continue
            ok = True
        if not ok:
            missed.append((g["doc"][:12], g["person"], g["role"]))
    assert len(missed) / len(gold["memberships"]) <= 0.1, missed


# ---------------------------------------------------------------- templates beyond the samples

DONCASTER = "City of Doncaster Council"


@pytest.mark.parametrize(
    "sentence, name, role, org",
    [
        # a qualified commissioner title after "appointed X as"
        ("On 30 September 2015 the Minister appointed Mr Graham Radley as Children's Services Commissioner for "
         "Doncaster.", "Graham Radley", "childrens-services-commissioner", DONCASTER),
        # "designate" between the title and its organisation
        ("Mr Alan Pemby, Chief Executive designate of Doncaster Children's Services Trust, attended.", "Alan Pemby",
         "chief-executive", "Doncaster Children's Services Trust"),
        # the organisation after a second "for"
        ("Steven Callan, Director of Children's Services for Hampshire County Council, is also the DCS here.",
         "Steven Callan", "director-of-childrens-services", "Hampshire County Council"),
        # Torbay's and others' name for the cabinet member
        ("Councillor Julia Trent, Executive Lead for Children's Services, introduced the report.", "Julia Trent",
         "cabinet-member", DONCASTER),
        ("Lord Victor Adebayo CBE chairs the Improvement Board.", "Victor Adebayo", "chair",
         "City of Doncaster Council Improvement Board"),
        ("The Council has appointed Ms Lucy Ferris as its new Director of Children's Services.", "Lucy Ferris",
         "director-of-childrens-services", DONCASTER),
        ("The Secretary of State for Education, the Rt Hon Damian Hale MP, wrote to the Leader.", "Damian Hale",
         "minister", None),
    ],
)
def test_other_templates_role_sentences(sentence, name, role, org):
    ctx = run(sentence, DONCASTER)
    m = membership(ctx, name, role)
    assert (m.org.name if m.org else None) == org


def test_a_role_followed_by_a_verb_is_not_an_apposition():
    ctx = run("Following the report of the Commissioner, Professor Jeremy Ash, the Secretary of State for Education "
              "has today issued a revised direction.", "Birmingham City Council")
    assert roles(ctx) == [("Jeremy Ash", "childrens-services-commissioner", "Birmingham City Council")]


def test_minutes_attendance_list():
    text = (
        "Present:\nProfessor Imogen Thackery CBE (Chair) - Children's Services Commissioner for Doncaster\n"
        "Paul Wriggle - Interim Director of Children's Services\nKaren Ashworth\n\n"
        "Apologies: Cllr Hughes\n\nIn attendance: Head of Service, Quality Assurance (minutes)\n\n"
        "1. The Chair welcomed members.\n"
    )
    ctx = run(text, DONCASTER)
    assert set(people(ctx)) == {"Imogen Thackery", "Paul Wriggle", "Karen Ashworth", "Hughes"}
    assert membership(ctx, "Imogen Thackery", "chair")
    assert membership(ctx, "Imogen Thackery", "childrens-services-commissioner").org.name == DONCASTER
    assert membership(ctx, "Paul Wriggle", "director-of-childrens-services")


def test_plural_honorific_lists_are_councillors():
    ctx = run("Present: Councillor A Walker (Chairman); Councillors B Smith, C Jones and D Brown.", "Bradford")
    assert set(people(ctx)) == {"A Walker", "B Smith", "C Jones", "D Brown"}
    assert all(p.title == "Cllr" for p in people(ctx).values())
    ctx = run("Councillors and officers attended. Councillors Ahmed and Brown asked about caseloads.", "Bradford")
    assert set(people(ctx)) == {"Ahmed", "Brown"}


def test_hard_wrapped_prose_keeps_roles_and_names_whole():
    text = (
        "Following the sixth monitoring visit, on 14 and 15 August 2018, the Minister of State for Children\n"
        "and Families, Robert Fenn MP, lifted the improvement notice. The Board is chaired by Mr Desmond Ache, the\n"
        "improvement adviser appointed by the Department for Education. The Council appointed Ms Priti\n"
        "Chandra as Interim Director of Children's Services on 4 January 2016.\n"
    )
    ctx = run(text, "Lancashire County Council")
    assert set(people(ctx)) == {"Robert Fenn", "Desmond Ache", "Priti Chandra"}
    assert membership(ctx, "Robert Fenn", "minister").org is None
    assert membership(ctx, "Desmond Ache", "improvement-adviser")
    assert membership(ctx, "Priti Chandra", "director-of-childrens-services").start == PartialDate("2016-01-04")


def test_short_lines_of_a_list_are_not_joined():
    text = "Present:\nCllr Nuala Fenn - Cabinet Member for Children, Young People and Schools\nKaren Ash - Chief Executive\n"
    ctx = run(text, DONCASTER)
    assert roles(ctx) == [("Karen Ash", "chief-executive", DONCASTER), ("Nuala Fenn", "cabinet-member", DONCASTER)]


def test_table_cells_do_not_join_into_a_name():
    ctx = run("Report Author\tCheryl Dunn, Executive Director of People\nExecutive Member\tCouncillor Hugh Brock\n",
              "North Northamptonshire Council")
    assert set(people(ctx)) == {"Cheryl Dunn", "Hugh Brock"}


def test_curly_apostrophe_names_have_one_spelling():
    ctx = run("Portfolio Holder: Councillor Bernard O\u2019Rourke \u2013 Children\u2019s Services\n", "Blackpool Council")
    assert set(people(ctx)) == {"Bernard O'Rourke"}
    assert person_ref("Mr Sean O\u2019Neill").name == "Sean O'Neill"


def test_portfolio_field_with_the_area_first():
    ctx = run("Portfolio: Children and Young People - Cllr Sam Hughes\n", "Bradford")
    assert roles(ctx) == [("Sam Hughes", "cabinet-member", "City of Bradford Metropolitan District Council")]


@pytest.mark.parametrize(
    "text",
    [
        "Report of: Corporate Director, Children and Families",
        "We are recruiting an experienced Head of Service for Safeguarding (closing date 31 March 2016).",
        "Vacancy: Head of Service, Children in Care (permanent, Grade N). Enquiries to the Head of Service.",
        "ACTION: Strategic Director, Children's Services",
        "Fellside Children's Home was inspected on 3 October 2024 and judged outstanding.",
        "In attendance: Head of Service, Quality Assurance (minutes)",
        "Action 2: Report on caseloads. Owner: Head of Service. By 22 October 2014.",
    ],
)
def test_offices_and_adverts_are_not_people(text):
    ctx = run(text, DONCASTER)
    assert people(ctx) == {}, people(ctx)


def test_owner_before_the_title_and_chaired_by_a_role_holder():
    ctx = run("The Trust's Chair, Jackie Marl, and its Chief Executive, Mr Jas Bhogan, presented the report of "
              "Sandwell Children's Trust.", "Sandwell Metropolitan Borough Council")
    assert membership(ctx, "Jackie Marl", "chair").org.name == "Sandwell Children's Trust"
    assert membership(ctx, "Jas Bhogan", "chief-executive").org.name == "Sandwell Children's Trust"
    ctx = run("The Mayor has set up an Improvement Board chaired by the Chief Executive, Will Tuck.", "Tower Hamlets")
    assert membership(ctx, "Will Tuck", "chief-executive").org.name == "London Borough of Tower Hamlets"
    assert membership(ctx, "Will Tuck", "chair").org.name == "London Borough of Tower Hamlets Improvement Board"


def test_names_with_central_european_letters_and_divisional_titles():
    ctx = run("Originating Officer(s)\tTomas Wiśniewski, Divisional Director, Children's Social Care\n", "Tower Hamlets")
    assert set(people(ctx)) == {"Tomas Wiśniewski"}
    assert {r[1] for r in roles(ctx)} == {"report-author", "divisional-director-childrens-social-care"}


def test_places_named_after_people_are_not_people():
    for text in ("Sir John Cass School was judged good by Ofsted.", "Staff moved to Sir John Cass House in 2019.",
                 "The unit on Dr Jane Smith Road closed."):
        assert people(run(text, "Kent County Council")) == {}, text


def test_plural_honorific_list_with_a_chair():
    ctx = run("Members: Cllrs Patel (Chair), Green, Hussain and O'Neill", "Kent County Council")
    assert set(people(ctx)) == {"Patel", "Green", "Hussain", "O'Neill"}
    assert roles(ctx) == [("Patel", "chair", None)]


def test_commissioners_of_other_services_and_national_directors():
    ctx = run("The Secretary of State appointed a Best Value Commissioner, Mr Jon Frith, in 2022.", "Thurrock Council")
    assert roles(ctx) == [("Jon Frith", "best-value-commissioner", "Thurrock Council")]
    ctx = run("Yours sincerely,\n\nYvonne Stanton\nNational Director, Social Care", "Kent County Council")
    assert roles(ctx) == [("Yvonne Stanton", "national-director-social-care", None)]


def test_a_plural_title_names_each_holder():
    ctx = run("His Majesty's Inspectors for this visit were Priya Mistral and Gareth Lewellen.", "Somerset County Council")
    assert roles(ctx) == [("Gareth Lewellen", "his-majestys-inspector", None),
                          ("Priya Mistral", "his-majestys-inspector", None)]
    ctx = run("The inspectors were thorough and the Chair is Jo Bloggs.", "Somerset County Council")
    assert roles(ctx) == [("Jo Bloggs", "chair", None)]


def test_a_second_role_after_is_also_and_a_role_before_the_name_in_a_field():
    ctx = run("Hampshire's Director of Children's Services, Stephanie Ardley, is also the statutory Director of "
              "Children's Services for the Isle of Wight.", "Hampshire County Council")
    assert roles(ctx) == [("Stephanie Ardley", "director-of-childrens-services", "Hampshire County Council"),
                          ("Stephanie Ardley", "director-of-childrens-services", "Isle of Wight Council")]
    ctx = run("Report by: Interim Executive Director – People, Dr Eleni Papas\nPortfolio Member: Cllr Heather Mwanga\n",
              "West Berkshire Council")
    assert roles(ctx) == [("Eleni Papas", "executive-director-people", "West Berkshire Council"),
                          ("Eleni Papas", "report-author", "West Berkshire Council"),
                          ("Heather Mwanga", "cabinet-member", "West Berkshire Council")]


def test_sign_off_in_capitals():
    ctx = run("Yours sincerely\n\nCOUNCILLOR JANE DOLAN\n\nCABINET MEMBER FOR CHILDREN AND FAMILIES\n", "Kent County Council")
    assert roles(ctx) == [("Jane Dolan", "cabinet-member", "Kent County Council")]
    for text in ("CHILDREN'S SERVICES\nIMPROVEMENT PLAN\n", "EXECUTIVE SUMMARY\nDIRECTOR OF CHILDREN'S SERVICES\n"):
        assert people(run(text, "Kent County Council")) == {}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("AJO'’ abcdeno\n\t,.-CDHLMSUWY")), max_size=300))
def test_text_rewrites_keep_every_offset(text):
    from loaders.extract.people import _capitalised_sign_offs, _soft_wrapped

    for rewritten in (_soft_wrapped(text), _capitalised_sign_offs(text)):
        assert len(rewritten) == len(text)
        assert [i for i, c in enumerate(rewritten) if c == "\n"] == [
            i for i, c in enumerate(text) if c == "\n" and rewritten[i] == "\n"
        ]
