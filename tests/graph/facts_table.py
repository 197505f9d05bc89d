"""Fact ID -> where the fact sits and what it says, as SPARQL patterns on the bundled graph.

Each entry is a list of ``(source keys, pattern)``: for every key, ``ASK { GRAPH <source> { pattern } }``
must hold. Keys are the fact base's source keys (S01...); X1-X6 are sources the fact base names
outside its register. Values are pinned exactly (dates, numbers, identifiers).
"""

from __future__ import annotations

SOURCE_SLUGS = {
    "S01": "inocencio-2025-guest-essay",
    "S02": "govinfo-bills-119hr3921ih",
    "S03": "wikipedia-stop-csam-act",
    "S04": "durbin-2025-05-22-stop-csam-reintroduced",
    "S05": "sjc-majority-2025-05-stop-csam-reintroduced",
    "S06": "insideprivacy-2025-03-stop-csam-hearing",
    "S07": "hawley-2025-03-11-csam-hearing",
    "S08": "citizenportal-2025-06-sjc-advances-stop-csam",
    "S09": "svpa-2025-06-stop-csam-passed-committee",
    "S10": "sjc-minority-2025-06-12-stop-csam-advanced",
    "S11": "durbin-2025-09-10-floor-speech",
    "S12": "cbo-61842-s1829-cost-estimate",
    "S13": "riverbender-2025-02-19-stop-csam-reintroduction",
    "S14": "barry-moore-2024-04-12-stop-csam",
    "S15": "sylvia-garcia-2025-stop-csam",
    "S16": "sjc-2023-05-11-stop-csam-advanced",
    "S17": "hawley-2023-05-11-deal-with-durbin",
    "S18": "benton-2023-cbo-s1199",
    "S19": "crs-billsum-118s474",
    "S20": "billsponsor-118-s-474",
    "S21": "congressional-record-2024-04-29-h2683",
    "S22": "ossoff-2024-05-07-report-act-signed",
    "S23": "ossoff-2024-04-report-act-passes-house",
    "S24": "floridian-press-2024-05-report-act-signed",
    "S25": "gfwc-2024-report-act-alert",
    "S26": "wmbd-2023-06-01-report-act-advances",
    "S27": "legiplex-118-s-474",
    "S28": "usc-18-2258a-research-notes",
    "S29": "govinfo-plaw-118publ60",
    "S30": "uscode-elaws-18-ch110",
    "S31": "inv-2023-12-icac-law-passes-senate",
    "S32": "govregs-22-usc-7101-notes",
    "S33": "govinfo-plaw-117publ347",
    "S34": "govtrack-117-s-3946",
    "S35": "uschamber-anti-trafficking-laws",
    "S36": "plaw-108-21-protect-act",
    "S37": "govinfo-plaw-115publ164",
    "S38": "govinfo-billstatus-118s1207",
    "S39": "commdaily-2023-05-05-earn-it",
    "S40": "techpolicypress-kosa-tracker",
    "S41": "nbc-2024-07-30-kosa-senate-passage",
    "S42": "us-embassy-manila-2016-tip-statement",
    "S43": "asia-foundation-2016-07-13-tier-1",
    "S44": "rappler-2016-06-30-tier-1",
    "S45": "cfo-2017-tier-1",
    "S46": "philstar-2012-06-23-tier-2",
    "S47": "tacfarinas-2018-tip-report",
    "S48": "state-dept-2024-06-tip-report-release",
    "S49": "ntuc-philstar-2024-06-26-tier-1",
    "S50": "ph-news-2025-09-30-tier-1",
    "S51": "malaya-2024-06-tip-hero",
    "S52": "sdgtalks-2024-06-tip-heroes",
    "S53": "ijm-uk-2024-presidential-directive",
    "S54": "ijm-uk-2023-09-07-scale-of-harm",
    "S55": "ijm-australia-2023-09-07-scale-of-harm",
    "S56": "weprotect-scale-of-harm-case-study",
    "S57": "pna-2019-02-27-picacc-launch",
    "S58": "ijm-ph-2022-04-04-picacc-third-year",
    "S59": "sunstar-2021-04-picacc-second-anniversary",
    "S60": "national-tribune-2020-03-11-picacc-first-year",
    "S61": "newsbytes-2019-03-01-picacc-opened",
    "S62": "ph-doj-iacat-page",
    "S63": "un-women-iacat-entry",
    "S64": "tribune-2022-08-12-iacat-lauded",
    "S65": "iacat-about-ra-9208",
    "S66": "ra-9208-text-and-commentary",
    "S67": "ra-10364-news-and-jur",
    "S68": "ra-11862-pna-and-releases",
    "S69": "wilmap-ra-9775",
    "S70": "ra-11930-irr-resolution-and-reports",
    "S71": "digital-policy-alert-ra-11930-irr",
    "S72": "wikipedia-ncmec",
    "S73": "ncmec-2019-07-09-clark-testimony",
    "S74": "cybertipline-data-fact-checks",
    "S75": "gfwc-2023-cybertipline-alert",
    "S76": "wikipedia-ijm",
    "S77": "prnewswire-2012-04-12-ijm-pampanga",
    "S78": "wikipedia-thorn",
    "S79": "ecpat-history",
    "S80": "iwf-history",
    "S81": "weprotect-who-we-are",
    "S82": "congress-legislators-dfa9622",
    "S83": "schema-org-legislation",
    "S84": "w3c-org-ontology",
    "S85": "eli-dl-v3",
    "S86": "akoma-ntoso-1-0",
    "S87": "fabio-ontology",
    "S88": "wikidata-id-references",
    "S89": "crs-r44269-hsi",
    "S90": "afp-nca-history",
    "S91": "disrupting-harm-philippines-reports",
    "S92": "the-hill-2025-18-months-later",
    "S93": "ijm-ph-2023-tip-report",
    "S94": "gatchalian-ra-9775-isp",
    "S95": "blackburn-2023-12-15-report-act-passes-senate",
    "S96": "govinfo-bills-118hr7949ih",
    "X1": "ijm-ph-2022-tip-report-tier-1",
    "X2": "house-chrissmith-hr2620-archive",
    "X3": "sunstar-editorial-protect-children",
    "X4": "ptv-2022-08-osec-press-conference",
    "X5": "ra-7610-statute-copy",
    "X6": "osec-kg-fact-base-2026-11-25",
}


def _d(s: str) -> str:
    return f'"{s}"^^xsd:date'


def _y(s: int | str) -> str:
    return f'"{s}"^^xsd:gYear'


def _ym(s: str) -> str:
    return f'"{s}"^^xsd:gYearMonth'


def _stat(ref: str, value: str, comparator: str, about: str) -> str:
    return f"{ref} a osec:Statistic ; osec:value {value} ; osec:comparator osec:{comparator} ; osec:statisticAbout {about} ."


def _ids(person: str, bioguide: str | None, qid: str | None) -> str:
    out = []
    if bioguide:
        out.append(f'{person} osec:bioguideId "{bioguide}" .')
    if qid:
        out.append(f'{person} osec:wikidataId "{qid}" ; schema:sameAs wd:{qid} .')
    return " ".join(out)


def _mship(ref: str, member: str, org: str, role: str) -> str:
    return f"{ref} a osec:Membership ; org:member {member} ; org:organization {org} ; org:role osec:{role} ."


def _tiers(years: range | list[int], tier: str) -> str:
    return " ".join(
        f"tier:philippines-{y} a osec:TierPlacement ; osec:country country:philippines ; osec:tier osec:{tier} ; "
        f"osec:reportYear {_y(y)} ; osec:reportEdition edition:tip-report-{y} ."
        for y in years
    )


OPED = "src:inocencio-2025-guest-essay"
INO = "person:samson-inocencio-jr"
CONF = "conferral:tip-report-hero-2024-samson-inocencio-jr"
SJC = "organization:senate-judiciary-committee"
S1829, HR3921, S474 = "bill:119-s-1829", "bill:119-hr-3921", "bill:118-s-474"
PL59 = "law:us-pl-118-59"


def _claim(fid: str, conf: str, corr: str) -> str:
    return (
        f'?c a osec:Claim ; osec:factId "{fid}" ; osec:claimant {INO} ; osec:confidence osec:{conf} ; '
        f"osec:corroboration osec:{corr} ; osec:source {OPED} ."
    )


FACTS: dict[str, list[tuple[str, str]]] = {
    # 3.1 the op-ed
    "F-DOC-01": [
        (
            "S01",
            f'{OPED} dct:title "Guest essay: Big tech must help stop the livestreamed abuse of children" .',
        )
    ],
    "F-DOC-02": [("S01", f"{OPED} dct:creator {INO} .")],
    "F-DOC-03": [("S01", f"{OPED} dct:publisher organization:cnn .")],
    "F-DOC-04": [
        (
            "S01",
            f'{OPED} dct:date {_d("2025-07-30")} ; osec:occasion ?o . FILTER(CONTAINS(?o, "World Day Against Trafficking in Persons"))',
        )
    ],
    "F-DOC-05": [
        (
            "S01",
            _mship("?m", INO, "organization:ijm-philippines", "RoleNationalDirector")
            + " "
            + _mship("?h", INO, "organization:ijm-osec-hub", "RoleRegionalVicePresident"),
        )
    ],
    "F-DOC-06": [
        (
            "S01",
            _claim("F-DOC-06", "Verified", "Unverified")
            + " ?c osec:onBehalfOf organization:ijm ; osec:statistic ?s . "
            + _stat("?s", "1470", "MoreThan", "organization:ph-law-enforcement")
            + f" ?s osec:periodStart {_y(2011)} ; osec:reportedBy organization:ijm .",
        )
    ],
    "F-DOC-07": [
        (
            "S01",
            _claim("F-DOC-07", "Verified", "Unverified")
            + " ?c osec:statistic ?s . "
            + _stat("?s", "430", "MoreThan", "organization:ph-law-enforcement"),
        )
    ],
    "F-DOC-08": [
        (
            "S01",
            _claim("F-DOC-08", "Verified", "Unverified")
            + " ?c osec:statistic ?s . "
            + _stat("?s", "265", "MoreThan", "organization:ph-law-enforcement"),
        )
    ],
    "F-DOC-09": [
        (
            "S01",
            _claim("F-DOC-09", "Verified", "Verified")
            + " ?c osec:about tier:philippines-2016, organization:us-department-of-state .",
        )
    ],
    "F-DOC-10": [
        (
            "S01",
            _claim("F-DOC-10", "Likely", "Unverified") + " ?c osec:about edition:tip-report-2024 .",
        )
    ],
    "F-DOC-11": [
        (
            "S01",
            _claim("F-DOC-11", "Likely", "Verified")
            + f" ?c osec:about {S1829}, {HR3921}, {SJC}, vote:119-s-1829-ordered-reported-2025-06-12 .",
        )
    ],
    "F-DOC-12": [
        (
            "S01",
            _claim("F-DOC-12", "Likely", "Verified")
            + f" ?c osec:about {S474}, {PL59}, service:cybertipline .",
        )
    ],
    "F-DOC-13": [
        (
            "S01",
            _claim("F-DOC-13", "Likely", "Verified")
            + f" ?c osec:about {INO}, award:tip-report-hero .",
        )
    ],
    "F-DOC-14": [
        (
            "S01",
            f'{OPED} schema:workTranslation <https://die-nachrichten.at/arbeit/gastbeitrag-big-tech-soll-livestreamte-kindesmisshandlung-stoppen/en> ; dct:description ?d . FILTER(CONTAINS(?d, "newscentral.site"))',
        )
    ],
    # 3.2 people
    "F-PER-01": [
        (
            "S51 S01",
            _mship(
                "mship:samson-inocencio-jr-ijm-philippines-national-director",
                INO,
                "organization:ijm-philippines",
                "RoleNationalDirector",
            ),
        ),
        (
            "S51",
            f"mship:samson-inocencio-jr-ijm-philippines-national-director osec:startDate {_y(2016)} . organization:ijm-philippines org:unitOf organization:ijm .",
        ),
    ],
    "F-PER-02": [
        (
            "S51 S52 S48",
            f"{CONF} a osec:AwardConferral ; osec:award award:tip-report-hero ; osec:awardee {INO} ; osec:awardYear {_y(2024)} ; osec:eventDate {_d('2024-06-24')} .",
        )
    ],
    "F-PER-03": [
        (
            "S51 S52",
            _stat(
                "stat:inocencio-convictions-commercial-sexual-exploitation-since-2005",
                "147",
                "Exactly",
                INO,
            )
            + " "
            + _stat("stat:inocencio-convictions-osec-since-2005", "220", "Exactly", INO)
            + f" stat:inocencio-convictions-osec-since-2005 osec:periodStart {_y(2005)} ; osec:reportedBy organization:us-department-of-state .",
        )
    ],
    "F-PER-04": [
        (
            "S51 S52",
            _stat(
                "stat:inocencio-children-removed-from-commercial-sexual-exploitation",
                "544",
                "Exactly",
                INO,
            ),
        ),
        ("S51", _stat("stat:inocencio-children-at-risk-of-osec-removed", "1237", "Exactly", INO)),
    ],
    "F-PER-05": [
        (
            "S51",
            f'{CONF} osec:citation ?t . FILTER(CONTAINS(?t, "roadmap to Tier 1") && CONTAINS(?t, "2016"))',
        )
    ],
    "F-PER-07": [("S82", _ids("person:richard-durbin", "D000563", "Q434804"))],
    "F-PER-08": [
        (
            "S16 S26",
            _mship("mship:richard-durbin-sjc-chair-118", "person:richard-durbin", SJC, "RoleChair")
            + " mship:richard-durbin-sjc-chair-118 osec:legislativeTerm term:us-congress-118 .",
        ),
        (
            "S82 S04",
            _mship(
                "mship:richard-durbin-sjc-ranking-member-119",
                "person:richard-durbin",
                SJC,
                "RoleRankingMember",
            ),
        ),
        ("S16", "bill:118-s-1199 osec:sponsor person:richard-durbin ."),
    ],
    "F-PER-09": [("S82", _ids("person:josh-hawley", "H001089", "Q23020745"))],
    "F-PER-10": [
        (
            "S82 S07",
            _mship(
                "mship:josh-hawley-sjc-crime-subcommittee-chair-119",
                "person:josh-hawley",
                "organization:sjc-subcommittee-crime-counterterrorism",
                "RoleChair",
            ),
        ),
        ("S17", "bill:118-s-1199 osec:cosponsor person:josh-hawley ."),
    ],
    "F-PER-11": [
        (
            "S82",
            _ids("person:chuck-grassley", "G000386", "Q529294")
            + " "
            + _mship(
                "mship:chuck-grassley-sjc-chair-119", "person:chuck-grassley", SJC, "RoleChair"
            ),
        ),
        ("S04 S05", f"{S1829} osec:cosponsor person:chuck-grassley ."),
    ],
    "F-PER-12": [
        (
            "S82",
            _ids("person:amy-klobuchar", "K000367", "Q22237")
            + " "
            + _mship(
                "mship:amy-klobuchar-sjc-member-119", "person:amy-klobuchar", SJC, "RoleMember"
            ),
        ),
        ("S04", f"{S1829} osec:cosponsor person:amy-klobuchar ."),
    ],
    "F-PER-13": [
        ("S82", _ids("person:mark-kelly", "K000377", "Q357510")),
        ("S04", f"{S1829} osec:cosponsor person:mark-kelly ."),
    ],
    "F-PER-14": [
        (
            "S82",
            _ids("person:marsha-blackburn", "B001243", "Q458971")
            + " "
            + _mship(
                "mship:marsha-blackburn-sjc-member-119",
                "person:marsha-blackburn",
                SJC,
                "RoleMember",
            ),
        ),
        ("S25 S20", f"{S474} osec:sponsor person:marsha-blackburn ."),
        ("S41", "bill:118-s-1409 osec:coLead person:marsha-blackburn ."),
    ],
    "F-PER-15": [
        ("S82", _ids("person:jon-ossoff", "O000174", "Q28839536")),
        ("S22 S23", f"{S474} osec:coLead person:jon-ossoff ."),
    ],
    "F-PER-16": [
        (
            "S95 S20",
            f"{S474} osec:cosponsor person:robert-menendez, person:mike-lee, person:james-lankford, person:marco-rubio .",
        ),
        ("S20", _ids("person:robert-menendez", "M000639", None)),
    ],
    "F-PER-17": [
        ("S82", _ids("person:richard-blumenthal", "B001277", "Q2023708")),
        ("S41", "bill:118-s-1409 osec:sponsor person:richard-blumenthal ."),
        ("S39", "bill:118-s-1207 osec:sponsor person:richard-blumenthal ."),
    ],
    "F-PER-18": [
        ("S82", _ids("person:lindsey-graham", "G000359", "Q22212")),
        ("S39", "bill:118-s-1207 osec:sponsor person:lindsey-graham ."),
    ],
    "F-PER-19": [
        (
            "S82",
            _ids("person:barry-moore", "M001212", "Q63198048")
            + " "
            + _mship(
                "?m", "person:barry-moore", "organization:house-judiciary-committee", "RoleMember"
            ),
        ),
        ("S02", f"{HR3921} osec:sponsor person:barry-moore ."),
        ("S96", "bill:118-hr-7949 osec:cosponsor person:barry-moore ."),
    ],
    "F-PER-20": [
        ("S82", _ids("person:sylvia-garcia", "G000587", "Q13562489")),
        ("S02 S15", f"{HR3921} osec:cosponsor person:sylvia-garcia ."),
    ],
    "F-PER-21": [
        ("S82", _ids("person:laurel-lee", "L000597", "Q61483038")),
        ("S25 S24", "bill:118-hr-5082 osec:sponsor person:laurel-lee ."),
        (
            "S21",
            f"event:118-s-474-house-consideration-2024-04-29 osec:actor person:laurel-lee ; osec:eventDate {_d('2024-04-29')} .",
        ),
    ],
    "F-PER-22": [
        (
            "S82",
            _ids("person:susie-lee", "L000590", "Q58333611")
            + " bill:118-hr-5082 osec:coLead person:susie-lee .",
        )
    ],
    "F-PER-23": [
        (
            "S82",
            _ids("person:mariannette-miller-meeks", "M001215", "Q58495662")
            + " "
            + _ids("person:madeleine-dean", "D000631", "Q6726900")
            + " bill:118-hr-5082 osec:coLead person:mariannette-miller-meeks, person:madeleine-dean .",
        )
    ],
    "F-PER-24": [
        (
            "S82",
            _ids("person:jim-jordan", "J000289", "Q186215")
            + " "
            + _ids("person:jamie-raskin", "R000606", "Q640835")
            + " "
            + _mship(
                "?a", "person:jim-jordan", "organization:house-judiciary-committee", "RoleChair"
            )
            + " "
            + _mship(
                "?b",
                "person:jamie-raskin",
                "organization:house-judiciary-committee",
                "RoleRankingMember",
            ),
        )
    ],
    "F-PER-25": [
        (
            "S48",
            "edition:tip-report-2024 osec:releasedBy person:antony-blinken, person:cindy-dyer . "
            "?p a osec:Post ; org:postIn organization:us-office-to-monitor-and-combat-tip ; org:heldBy person:cindy-dyer ; "
            'rdfs:label "Ambassador-at-Large to Monitor and Combat Trafficking in Persons" .',
        )
    ],
    "F-PER-26": [
        (
            "S42 S43",
            "edition:tip-report-2016 osec:releasedBy person:john-kerry . "
            + _mship(
                "?m",
                "person:john-kerry",
                "organization:us-department-of-state",
                "RoleSecretaryOfState",
            ),
        )
    ],
    "F-PER-27": [("S22 S24", f"{PL59} osec:signedBy person:joe-biden .")],
    "F-PER-28": [
        (
            "S76",
            f"organization:ijm osec:founder person:gary-haugen ; osec:foundingDate {_y(1997)} .",
        )
    ],
    "F-PER-29": [
        (
            "S70",
            "bill:ph-18-sb-2209 osec:sponsor person:risa-hontiveros ; osec:becameLaw law:ph-ra-11930 .",
        ),
        ("S68", "law:ph-ra-11862 osec:sponsor person:risa-hontiveros ."),
    ],
    "F-PER-30": [("S68", "law:ph-ra-11862 osec:sponsor person:pia-cayetano .")],
    "F-PER-31": [
        (
            "S68",
            f"law:ph-ra-11862 osec:signedBy person:rodrigo-duterte ; schema:legislationDate {_d('2022-06-23')} .",
        )
    ],
    "F-PER-32": [("S67", "law:ph-ra-10364 osec:signedBy person:benigno-aquino-iii .")],
    "F-PER-33": [
        (
            "S50",
            _mship(
                "?j",
                "person:jesus-crispin-remulla",
                "organization:ph-department-of-justice",
                "RoleSecretaryOfJustice",
            )
            + " "
            + _mship("?c", "person:jesus-crispin-remulla", "organization:iacat", "RoleChair")
            + f" ?c dct:date {_ym('2025-09')} .",
        )
    ],
    "F-PER-34": [
        (
            "S72",
            _mship("?m", "person:michelle-delaune", "organization:ncmec", "RoleChiefExecutive")
            + ' ?m dct:description "President and CEO"@en .',
        )
    ],
    "F-PER-35": [
        (
            "S56",
            _mship(
                "?m",
                "person:iain-drennan",
                "organization:weprotect-global-alliance",
                "RoleChiefExecutive",
            )
            + f' ?m dct:description "Executive Director"@en ; dct:date {_y(2023)} .',
        )
    ],
    # 3.3 NGOs
    "F-NGO-01": [
        (
            "S76",
            'organization:ijm a osec:NonGovernmentalOrganization ; osec:headquarters "Washington, DC" ; '
            f'osec:foundingDate {_y(1997)} ; osec:founder person:gary-haugen ; osec:legalForm ?f . FILTER(CONTAINS(?f, "501(c)(3)"))',
        )
    ],
    "F-NGO-02": [
        (
            "S77",
            'organization:ijm-pampanga org:unitOf organization:ijm ; osec:headquarters "Pampanga" ; dct:description ?d . '
            'FILTER(CONTAINS(?d, "2012-04-12") && CONTAINS(?d, "15th") && CONTAINS(?d, "third in the Philippines"))',
        )
    ],
    "F-NGO-03": [
        (
            "S57 S58 S61",
            _mship(
                "mship:ijm-picacc", "organization:ijm", "organization:picacc", "RoleFoundingPartner"
            )
            + f" mship:ijm-picacc osec:startDate {_d('2019-02-27')} .",
        )
    ],
    "F-NGO-04": [
        (
            "S70",
            _mship("?m", "organization:ijm", "organization:ra-11930-irr-committee", "RoleMember")
            + ' organization:ra-11930-irr-committee dct:description ?d . FILTER(CONTAINS(?d, "Save the Children Philippines"))',
        )
    ],
    "F-NGO-05": [
        (
            "S64",
            _mship("?m", "organization:ijm", "organization:iacat", "RoleMember")
            + f" ?m dct:date {_y(2022)} .",
        )
    ],
    "F-NGO-06": [
        (
            "S56",
            f"report:scale-of-harm osec:initiatedBy organization:ijm-center-to-end-osec ; osec:initiatedOn {_ym('2021-03')} .",
        )
    ],
    "F-NGO-07": [
        (
            "S53",
            _stat("?s", "2740905", "Exactly", "country:philippines")
            + f" ?s osec:statisticAbout service:cybertipline ; osec:periodStart {_y(2023)} ; osec:reportedBy organization:ijm .",
        )
    ],
    "F-NGO-08": [
        (
            "S53",
            '?c a osec:Claim ; osec:factId "F-NGO-08" ; osec:claimant organization:ijm ; osec:confidence osec:Verified ; osec:claimText ?t . '
            'FILTER(CONTAINS(?t, "Anti-Money Laundering Council") && CONTAINS(?t, "Supreme Court"))',
        )
    ],
    "F-NGO-09": [
        (
            "S72",
            f'organization:ncmec osec:foundingDate {_d("1984-06-13")} ; osec:headquarters "Alexandria, Virginia" ; '
            'osec:fundedBy organization:us-department-of-justice ; osec:legalForm ?f . FILTER(CONTAINS(?f, "501(c)(3)"))',
        ),
        (
            "S73",
            'organization:ncmec dct:description ?d . FILTER(CONTAINS(?d, "1984") && CONTAINS(?d, "Congress"))',
        ),
    ],
    "F-NGO-10": [
        ("S72 S28", "service:cybertipline osec:operatedBy organization:ncmec ."),
        (
            "S28",
            "?o a osec:Obligation ; osec:imposedBy usc:usc-18-2258a ; osec:recipient service:cybertipline .",
        ),
    ],
    "F-NGO-11": [("S74", f"service:cybertipline osec:startDate {_y(1998)} .")],
    "F-NGO-12": [("S14", "organization:ncmec osec:endorses bill:118-hr-7949 .")],
    "F-NGO-13": [
        (
            "S78",
            f'organization:thorn osec:foundingDate {_y(2009)} ; osec:formerName "DNA Foundation" ; '
            f"osec:founder person:demi-moore, person:ashton-kutcher ; osec:renamedOn {_d('2012-11-15')} .",
        )
    ],
    "F-NGO-14": [
        (
            "S79",
            f'organization:ecpat-international osec:foundingDate {_ym("1990-05")} ; osec:foundingPlace "Chiang Mai" ; '
            'osec:formerName "End Child Prostitution in Asian Tourism" ; osec:headquarters "Bangkok" ; dct:description ?d . FILTER(CONTAINS(?d, "1996"))',
        )
    ],
    "F-NGO-15": [
        (
            "S80",
            f'organization:iwf osec:foundingDate {_y(1996)} ; osec:headquarters "Cambridge" ; osec:charityNumber "1112398" ; '
            'dct:description ?d . FILTER(CONTAINS(?d, "1996-10-21"))',
        )
    ],
    "F-NGO-16": [
        (
            "S81",
            "organization:weprotect-global-alliance osec:mergerOf organization:weprotect-2014, organization:global-alliance-against-child-sexual-abuse-online . "
            f"organization:weprotect-2014 osec:foundingDate {_y(2014)} . organization:global-alliance-against-child-sexual-abuse-online "
            f"osec:foundingDate {_d('2012-12-05')} ; osec:founder organization:european-commission, organization:us-department-of-justice . "
            'organization:weprotect-global-alliance dct:description ?d . FILTER(CONTAINS(?d, "2020"))',
        )
    ],
    "F-NGO-17": [
        (
            "S54 S55 S56",
            "report:scale-of-harm dct:creator organization:rights-lab, organization:ijm .",
        )
    ],
    "F-NGO-18": [
        (
            "S70",
            _mship(
                "?m",
                "organization:save-the-children-philippines",
                "organization:ra-11930-irr-committee",
                "RoleMember",
            ),
        )
    ],
    "F-NGO-19": [
        (
            "S64",
            _mship("?a", "organization:catw-ap", "organization:iacat", "RoleMember")
            + " "
            + _mship(
                "?b", "organization:blas-f-ople-policy-center", "organization:iacat", "RoleMember"
            ),
        )
    ],
    # 3.4 US government
    "F-USG-01": [("S88", _ids("organization:us-department-of-state", None, "Q789915"))],
    "F-USG-02": [
        (
            "S35 S48",
            f"report:tip-report dct:publisher organization:us-department-of-state ; osec:firstEditionYear {_y(2001)} . law:us-tvpa-2000 osec:mandates report:tip-report .",
        )
    ],
    "F-USG-03": [
        (
            "S48 S93",
            'organization:us-office-to-monitor-and-combat-tip org:subOrganizationOf organization:us-department-of-state ; skos:altLabel "J/TIP", "G/TIP" . '
            "post:us-ambassador-at-large-to-monitor-and-combat-tip org:postIn organization:us-office-to-monitor-and-combat-tip ; org:heldBy person:cindy-dyer .",
        )
    ],
    "F-USG-04": [("S88", _ids("organization:us-department-of-justice", None, "Q1553390"))],
    "F-USG-05": [
        ("S72", "organization:ncmec osec:fundedBy organization:us-department-of-justice ."),
        (
            "S81",
            "organization:global-alliance-against-child-sexual-abuse-online osec:founder organization:us-department-of-justice, organization:european-commission .",
        ),
    ],
    "F-USG-06": [("S88", _ids("organization:fbi", None, "Q8333"))],
    "F-USG-07": [
        (
            "S89",
            f"organization:hsi org:subOrganizationOf organization:ice ; osec:foundingDate {_ym('2010-06')} . "
            "organization:ice org:subOrganizationOf organization:us-department-of-homeland-security .",
        )
    ],
    "F-USG-08": [
        (
            "S89",
            f"organization:hsi-cyber-crimes-center org:subOrganizationOf organization:hsi ; osec:foundingDate {_y(1997)} . "
            "organization:hsi-child-exploitation-investigations-unit org:subOrganizationOf organization:hsi-cyber-crimes-center .",
        )
    ],
    "F-USG-09": [
        (
            "S88",
            _ids("organization:us-congress", None, "Q11268")
            + " "
            + _ids("organization:us-senate", None, "Q66096")
            + " "
            + _ids("organization:us-house", None, "Q11701"),
        )
    ],
    "F-USG-10": [
        ("S82", f'{SJC} osec:committeeCode "SSJU" .'),
        ("S38", f'{SJC} osec:systemCode "ssju00" .'),
    ],
    "F-USG-11": [
        (
            "S82",
            f"{SJC} osec:memberCount 22 ; osec:majorityCount 12 ; osec:minorityCount 10 . "
            + _mship("?c", "person:chuck-grassley", SJC, "RoleChair")
            + " "
            + _mship("?r", "person:richard-durbin", SJC, "RoleRankingMember"),
        )
    ],
    "F-USG-12": [
        (
            "S82 S06",
            f'organization:sjc-subcommittee-crime-counterterrorism osec:committeeCode "SSJU22" ; osec:memberCount 11 ; org:unitOf {SJC} . '
            + _mship(
                "?c",
                "person:josh-hawley",
                "organization:sjc-subcommittee-crime-counterterrorism",
                "RoleChair",
            )
            + " "
            + _mship(
                "?r",
                "person:richard-durbin",
                "organization:sjc-subcommittee-crime-counterterrorism",
                "RoleRankingMember",
            ),
        )
    ],
    "F-USG-13": [
        (
            "S82",
            'organization:house-judiciary-committee osec:committeeCode "HSJU" ; osec:houseCommitteeId "JU" ; osec:memberCount 42 . '
            + _mship(
                "?c", "person:jim-jordan", "organization:house-judiciary-committee", "RoleChair"
            ),
        ),
        ("S02", 'organization:house-judiciary-committee osec:systemCode "HJU00" .'),
    ],
    "F-USG-14": [
        (
            "S40",
            f'?e a osec:Markup ; osec:onBill bill:118-s-1409 ; osec:actingBody organization:senate-commerce-committee ; osec:eventDate {_d("2023-07-27")} ; osec:outcome "advanced unanimously"@en .',
        )
    ],
    "F-USG-15": [
        (
            "S40",
            f"?e a osec:Markup ; osec:onBill bill:118-hr-7891 ; osec:actingBody organization:house-energy-commerce-committee ; dct:date {_y(2024)} .",
        )
    ],
    "F-USG-16": [
        (
            "S12",
            "report:cbo-cost-estimate-119-s-1829 dct:publisher organization:cbo ; osec:about bill:119-s-1829 ; osec:headlineStatistic ?s . "
            + _stat("?s", "161000000", "Exactly", S1829)
            + f' ?s osec:unit "USD" ; osec:periodStart {_y(2026)} ; osec:periodEnd {_y(2030)} .',
        ),
        (
            "S18",
            f"report:cbo-cost-estimate-118-s-1199 dct:publisher organization:cbo ; osec:about bill:118-s-1199 ; dct:issued {_y(2023)} .",
        ),
    ],
    # 3.5 Philippine government
    "F-PHG-01": [("S88", _ids("country:philippines", None, "Q928"))],
    "F-PHG-02": [
        (
            "S62 S63",
            'organization:iacat osec:establishedBy law:ph-ra-9208 ; osec:establishingProvision "Section 20" .',
        )
    ],
    "F-PHG-03": [
        (
            "S62 S63 S64",
            "organization:iacat osec:leadAgency organization:ph-department-of-justice . "
            "post:iacat-chair org:postIn organization:iacat ; org:role osec:RoleChair ; dct:description ?a . "
            "post:iacat-co-chair org:postIn organization:iacat ; org:role osec:RoleCoChair ; dct:description ?b . "
            'FILTER(CONTAINS(?a, "Secretary of Justice") && CONTAINS(?b, "Social Welfare and Development"))',
        )
    ],
    "F-PHG-04": [
        (
            "S62 S65",
            'organization:iacat osec:mandate ?m . FILTER(CONTAINS(?m, "RA 9208") && CONTAINS(?m, "RA 10364") && CONTAINS(?m, "RA 11862"))',
        )
    ],
    "F-PHG-05": [
        (
            "S65",
            'organization:iacat osec:taskForceCount 24 ; dct:description ?d . FILTER(CONTAINS(?d, "2 national, 6 port-based and 16 regional"))',
        )
    ],
    "F-PHG-06": [
        (
            "S71",
            f"organization:ph-ncc-osaec-csaem osec:establishedBy law:ph-ra-11930-irr ; org:subOrganizationOf organization:iacat ; osec:foundingDate {_ym('2023-05')} .",
        )
    ],
    "F-PHG-07": [
        (
            "S57 S58 S60",
            _mship("?m", "organization:pnp-wcpc", "organization:picacc", "RoleFoundingPartner")
            + " organization:pnp-wcpc org:subOrganizationOf organization:pnp .",
        )
    ],
    "F-PHG-08": [
        (
            "S57 S58 S60",
            _mship("?m", "organization:nbi-ahtrad", "organization:picacc", "RoleFoundingPartner")
            + " organization:nbi-ahtrad org:subOrganizationOf organization:nbi .",
        )
    ],
    "F-PHG-09": [
        (
            "S57 S58 S59",
            f'organization:picacc osec:foundingDate {_d("2019-02-27")} ; osec:foundingPlace "Camp Crame (PNP headquarters), Quezon City" .',
        )
    ],
    "F-PHG-10": [
        (
            "S57 S58 S59",
            " ".join(
                _mship(f"?m{i}", m, "organization:picacc", "RoleFoundingPartner")
                for i, m in enumerate(
                    [
                        "organization:pnp-wcpc",
                        "organization:nbi-ahtrad",
                        "organization:afp",
                        "organization:uk-nca",
                        "organization:ijm",
                    ]
                )
            ),
        ),
        (
            "S58 S59",
            _mship("?n", "organization:netherlands-police", "organization:picacc", "RolePartner")
            + f" ?n osec:startDate {_y(2021)} .",
        ),
    ],
    "F-PHG-11": [
        (
            "S60",
            " ".join(
                _stat(f"stat:picacc-{k}-first-year", v, "Exactly", "organization:picacc")
                for k, v in [
                    ("operations", "41"),
                    ("rescued", "136"),
                    ("arrested", "41"),
                    ("convicted", "3"),
                ]
            ),
        ),
        (
            "S59",
            " ".join(
                _stat(f"stat:picacc-{k}-to-2021-04", v, "Exactly", "organization:picacc")
                for k, v in [("operations", "118"), ("rescued", "373"), ("arrested", "84")]
            )
            + f" stat:picacc-rescued-to-2021-04 osec:periodEnd {_ym('2021-04')} .",
        ),
        (
            "S58",
            " ".join(
                _stat(f"stat:picacc-{k}-to-2022-03", v, "Exactly", "organization:picacc")
                for k, v in [("operations", "179"), ("rescued", "526"), ("arrested", "113")]
            )
            + f" stat:picacc-rescued-to-2022-03 osec:periodEnd {_ym('2022-03')} .",
        ),
    ],
    "F-PHG-12": [
        (
            "S94",
            'organization:iacacp osec:establishedBy law:ph-ra-9775 ; osec:mandate ?m . FILTER(CONTAINS(?m, "01-01-2014"))',
        )
    ],
    "F-PHG-13": [
        (
            "S94",
            "law:ph-ntc-mc-01-01-2014 schema:legislationPassedBy organization:ph-ntc ; osec:implements law:ph-ra-9775 .",
        )
    ],
    "F-PHG-14": [("X3", "organization:ph-cicc osec:establishedBy law:ph-ra-10175 .")],
    # 3.6 foreign law enforcement
    "F-FLE-01": [("S90", f"organization:afp osec:foundingDate {_d('1979-10-19')} .")],
    "F-FLE-02": [
        (
            "S90",
            f"organization:uk-nca osec:foundingDate {_d('2013-10-07')} ; dct:description ?d . organization:uk-nca-ceop org:subOrganizationOf organization:uk-nca . "
            'FILTER(CONTAINS(?d, "Crime and Courts Act 2013") && CONTAINS(?d, "Serious Organised Crime Agency"))',
        )
    ],
    "F-FLE-03": [
        (
            "S57 S61",
            _mship("?a", "organization:afp", "organization:picacc", "RoleFoundingPartner")
            + " "
            + _mship("?b", "organization:uk-nca", "organization:picacc", "RoleFoundingPartner")
            + f" ?a osec:startDate {_d('2019-02-27')} .",
        )
    ],
    "F-FLE-04": [
        (
            "S58 S59",
            _mship("?n", "organization:netherlands-police", "organization:picacc", "RolePartner")
            + f" ?n osec:startDate {_y(2021)} .",
        )
    ],
    "F-FLE-05": [
        (
            "X4",
            f"?e a osec:Event ; osec:eventDate {_d('2022-08-23')} ; osec:participant organization:hsi ; osec:subject osec:OSEC .",
        )
    ],
    # 3.7 bills
    "F-BIL-01": [
        (
            "S03 S12",
            f'{S1829} osec:shortTitle "STOP CSAM Act of 2025" ; dct:title "Strengthening Transparency and Obligations to Protect Children Suffering from Abuse and Mistreatment Act of 2025" .',
        )
    ],
    "F-BIL-02": [
        (
            "S03",
            f"{S1829} osec:congressGovPage <https://www.congress.gov/bill/119th-congress/senate-bill/1829> .",
        )
    ],
    "F-BIL-03": [
        (
            "S03 S04",
            f"?e a osec:Introduction ; osec:onBill {S1829} ; osec:eventDate {_d('2025-05-21')} .",
        )
    ],
    "F-BIL-04": [
        ("S03 S04 S05", f"{S1829} osec:sponsor person:josh-hawley, person:richard-durbin .")
    ],
    "F-BIL-05": [
        (
            "S04 S05",
            f"{S1829} osec:cosponsor person:chuck-grassley, person:amy-klobuchar, person:mark-kelly .",
        )
    ],
    "F-BIL-06": [("S03 S12", f"{S1829} osec:referredTo {SJC} .")],
    "F-BIL-07": [
        (
            "S08 S09 S10 S11",
            f"?mk a osec:Markup ; osec:onBill {S1829} ; osec:actingBody {SJC} ; osec:eventDate {_d('2025-06-12')} . "
            "?a a osec:VoteEvent ; osec:partOfEvent ?mk ; osec:voteMethod osec:VoiceVote ; osec:voteResult osec:Passed . "
            "?v a osec:VoteEvent ; osec:partOfEvent ?mk ; osec:voteMethod osec:RollCall ; osec:yesCount 22 ; osec:noCount 0 .",
        )
    ],
    "F-BIL-08": [
        (
            "S12 S28",
            f"?e a osec:CommitteeReport ; osec:onBill {S1829} ; osec:eventDate {_d('2025-06-26')} ; osec:calendarNumber 106 .",
        )
    ],
    "F-BIL-09": [
        (
            "S28",
            f'{S1829} osec:outcome ?o . FILTER(CONTAINS(?o, "Not enacted") && CONTAINS(?o, "2026-09-16")) FILTER NOT EXISTS {{ {S1829} osec:becameLaw ?law }}',
        )
    ],
    "F-BIL-10": [
        (
            "S12 S10 S03",
            f"?p1 osec:provisionOf {S1829} ; osec:affects oblig:usc-18-2258a-report-to-cybertipline . "
            f"?p2 osec:provisionOf {S1829} ; osec:affects usc:usc-47-230 . ?p3 osec:provisionOf {S1829} ; dct:description ?d . "
            'FILTER(CONTAINS(?d, "child witnesses"))',
        )
    ],
    "F-BIL-11": [
        (
            "S02",
            f"?e a osec:Introduction ; osec:onBill {HR3921} ; osec:eventDate {_d('2025-06-11')} . {HR3921} osec:sponsor person:barry-moore ; osec:cosponsor person:sylvia-garcia .",
        )
    ],
    "F-BIL-12": [
        (
            "S02",
            f"?e a osec:Referral ; osec:onBill {HR3921} ; osec:actingBody organization:house-judiciary-committee ; osec:eventDate {_d('2025-06-11')} . "
            'organization:house-judiciary-committee osec:systemCode "HJU00" .',
        )
    ],
    "F-BIL-13": [
        (
            "S02",
            f'{HR3921} dct:title "To combat the sexual exploitation of children by supporting victims and promoting accountability and transparency by the tech industry." .',
        )
    ],
    "F-BIL-14": [
        (
            "S16 S18 S75",
            'bill:118-s-1199 osec:shortTitle "STOP CSAM Act of 2023" ; osec:sponsor person:richard-durbin ; osec:congressNumber 118 .',
        )
    ],
    "F-BIL-15": [
        (
            "S16 S17",
            f"?e a osec:Markup ; osec:onBill bill:118-s-1199 ; osec:actingBody {SJC} ; osec:eventDate {_d('2023-05-11')} . "
            "?p osec:provisionOf bill:118-s-1199 ; dct:creator person:josh-hawley . bill:118-s-1199 osec:cosponsor person:josh-hawley .",
        )
    ],
    "F-BIL-16": [
        (
            "S06 S13",
            'bill:118-s-1199 osec:outcome "No Senate floor vote in the 118th Congress."@en . FILTER NOT EXISTS { ?p a osec:Passage ; osec:onBill bill:118-s-1199 }',
        )
    ],
    "F-BIL-17": [
        (
            "S96 S14",
            f'?e a osec:Introduction ; osec:onBill bill:118-hr-7949 ; osec:eventDate {_d("2024-04-11")} . bill:118-hr-7949 osec:shortTitle "STOP CSAM Act of 2024" ; '
            "osec:sponsor person:sylvia-garcia ; osec:cosponsor person:barry-moore ; osec:referredTo organization:house-judiciary-committee, organization:house-energy-commerce-committee . "
            'person:sylvia-garcia osec:bioguideId "G000587" .',
        )
    ],
    "F-BIL-20": [
        (
            "S19 S21",
            f'{S474} dct:title "Revising Existing Procedures On Reporting via Technology Act" ; osec:shortTitle "REPORT Act" .',
        )
    ],
    "F-BIL-21": [
        (
            "S21",
            f'{S474} dct:abstract ?a . FILTER(CONTAINS(?a, "CyberTipline") && CONTAINS(?a, "one year"))',
        )
    ],
    "F-BIL-22": [
        (
            "S19 S20 S27",
            f"?e a osec:Introduction ; osec:onBill {S474} ; osec:eventDate {_d('2023-02-16')} .",
        )
    ],
    "F-BIL-23": [
        (
            "S25 S20 S22",
            f"{S474} osec:sponsor person:marsha-blackburn ; osec:coLead person:jon-ossoff .",
        )
    ],
    "F-BIL-24": [
        (
            "S26 S27",
            f"?e a osec:Markup ; osec:onBill {S474} ; osec:actingBody {SJC} ; osec:eventDate {_d('2023-06-01')} .",
        )
    ],
    "F-BIL-25": [
        (
            "S20 S25",
            f"?e a osec:Passage ; osec:onBill {S474} ; osec:actingBody organization:us-senate ; osec:eventDate {_d('2023-12-14')} ; "
            'osec:voteMethod osec:UnanimousConsent ; osec:outcome ?o . FILTER(CONTAINS(?o, "amendment in the nature of a substitute"))',
        )
    ],
    "F-BIL-26": [
        (
            "S21",
            f"?e a osec:FloorConsideration ; osec:onBill {S474} ; osec:actingBody organization:us-house ; osec:eventDate {_d('2024-04-29')} ; osec:actor person:laurel-lee .",
        )
    ],
    "F-BIL-27": [
        (
            "S21 S23 S24",
            f"?e a osec:Passage ; osec:onBill {S474} ; osec:actingBody organization:us-house ; osec:eventDate {_d('2024-04-29')} .",
        )
    ],
    "F-BIL-28": [
        (
            "S19 S22 S24",
            f"?e a osec:Enactment ; osec:onBill {S474} ; osec:eventDate {_d('2024-05-07')} ; osec:actor person:joe-biden .",
        )
    ],
    "F-BIL-29": [
        (
            "S28",
            f'{S474} osec:becameLaw {PL59} . {PL59} schema:legislationIdentifier "Pub. L. 118-59" ; osec:congressNumber 118 ; schema:legislationDate {_d("2024-05-07")} .',
        ),
        (
            "S29",
            f'law:us-pl-118-60 schema:legislationIdentifier "Pub. L. 118-60" ; schema:legislationDate {_d("2024-05-10")} .',
        ),
    ],
    "F-BIL-30": [
        (
            "S25",
            f"bill:118-hr-5082 osec:companionBill {S474} ; osec:sponsor person:laurel-lee . "
            f"?v a osec:VoteEvent ; osec:onBill bill:118-hr-5082 ; osec:actingBody organization:house-judiciary-committee ; osec:eventDate {_d('2024-03-21')} ; osec:yesCount 23 ; osec:noCount 0 .",
        )
    ],
    "F-BIL-31": [
        (
            "S19 S21 S28",
            " ".join(
                f"prv:us-pl-118-59-{k} osec:provisionOf {PL59} ; dct:description ?d{i} ."
                for i, k in enumerate(
                    [
                        "reportable-offences",
                        "preservation-period",
                        "penalties",
                        "vendor-liability",
                        "self-reporting-minors",
                    ]
                )
            )
            + ' FILTER(CONTAINS(?d0, "1591") && CONTAINS(?d0, "2422(b)") && CONTAINS(?d1, "90 days") && CONTAINS(?d1, "one year"))',
        )
    ],
    "F-BIL-40": [
        (
            "S38",
            f"?i a osec:Introduction ; osec:onBill bill:118-s-1207 ; osec:eventDate {_d('2023-04-19')} . "
            f'?r a osec:Referral ; osec:onBill bill:118-s-1207 ; osec:actingBody {SJC} ; osec:eventDate {_d("2023-04-19")} . {SJC} osec:systemCode "ssju00" .',
        )
    ],
    "F-BIL-41": [
        (
            "S38 S39",
            f'?m a osec:Markup ; osec:onBill bill:118-s-1207 ; osec:eventDate {_d("2023-05-04")} ; osec:outcome ?o . FILTER(CONTAINS(?o, "unanimously"))',
        ),
        (
            "S38",
            f"?r a osec:CommitteeReport ; osec:onBill bill:118-s-1207 ; osec:eventDate {_d('2023-05-15')} .",
        ),
    ],
    "F-BIL-42": [
        (
            "S38",
            'bill:118-s-1207 osec:companionBill bill:118-hr-2732 . bill:118-hr-2732 schema:legislationIdentifier "H.R.2732" ; osec:congressNumber 118 .',
        )
    ],
    "F-BIL-43": [
        ("S39", "bill:118-s-1207 osec:sponsor person:lindsey-graham, person:richard-blumenthal .")
    ],
    "F-BIL-44": [
        (
            "S40",
            f"bill:118-s-1409 dct:date {_d('2023-05-02')} . ?e a osec:Markup ; osec:onBill bill:118-s-1409 ; osec:actingBody organization:senate-commerce-committee ; osec:eventDate {_d('2023-07-27')} .",
        )
    ],
    "F-BIL-45": [
        (
            "S41",
            f"vote:senate-2024-07-30-kosa-coppa-package osec:yesCount 91 ; osec:noCount 3 ; osec:eventDate {_d('2024-07-30')} ; "
            "osec:noVoter person:ron-wyden, person:rand-paul, person:mike-lee ; osec:about bill:118-s-1409 .",
        )
    ],
    "F-BIL-46": [
        (
            "S40",
            f"?e a osec:Introduction ; osec:onBill bill:118-hr-7891 ; osec:eventDate {_d('2024-04-09')} . bill:118-s-1409 osec:companionBill bill:118-hr-7891 .",
        ),
        ("S92", 'bill:118-hr-7891 osec:outcome ?o . FILTER(CONTAINS(?o, "Lapsed"))'),
    ],
    "F-BIL-47": [
        (
            "S92 S08",
            f'law:us-take-it-down-act schema:legislationDate {_y(2025)} ; osec:enactmentMode osec:SignedIntoLaw ; dct:description ?d . FILTER(CONTAINS(?d, "48 hours")) '
            "FILTER NOT EXISTS { law:us-take-it-down-act schema:legislationIdentifier ?id }",
        )
    ],
    # 3.8 events
    "F-EVT-01": [
        (
            "S13",
            f"?e a osec:Hearing ; osec:actingBody {SJC} ; osec:eventDate {_d('2024-01-31')} ; osec:presidedBy person:richard-durbin ; "
            "osec:participant organization:discord, organization:meta, organization:snap, organization:tiktok, organization:x .",
        )
    ],
    "F-EVT-02": [
        (
            "S13",
            f'?e a osec:Hearing ; osec:actingBody {SJC} ; osec:eventDate {_d("2025-02-19")} ; osec:outcome ?o . FILTER(CONTAINS(?o, "reintroduction"))',
        )
    ],
    "F-EVT-03": [
        (
            "S06 S07",
            f'?e a osec:Hearing ; rdfs:label "Ending the Scourge: The Need for the STOP CSAM Act" ; osec:eventDate {_d("2025-03-11")} ; '
            "osec:actingBody organization:sjc-subcommittee-crime-counterterrorism ; osec:presidedBy person:josh-hawley .",
        )
    ],
    "F-EVT-04": [
        (
            "S08 S09 S10",
            f"?v a osec:VoteEvent ; osec:onBill {S1829} ; osec:actingBody {SJC} ; osec:eventDate {_d('2025-06-12')} ; osec:yesCount 22 ; osec:noCount 0 .",
        )
    ],
    "F-EVT-05": [
        (
            "S12 S28",
            f"?e a osec:CommitteeReport ; osec:onBill {S1829} ; osec:eventDate {_d('2025-06-26')} ; osec:calendarNumber 106 .",
        )
    ],
    "F-EVT-06": [
        (
            "S16 S17",
            f"?e a osec:Markup ; osec:onBill bill:118-s-1199 ; osec:eventDate {_d('2023-05-11')} .",
        )
    ],
    "F-EVT-07": [
        (
            "S38 S39",
            f"?e a osec:Markup ; osec:onBill bill:118-s-1207 ; osec:eventDate {_d('2023-05-04')} .",
        )
    ],
    "F-EVT-08": [
        ("S26 S27", f"?e a osec:Markup ; osec:onBill {S474} ; osec:eventDate {_d('2023-06-01')} .")
    ],
    "F-EVT-09": [
        (
            "S20 S25",
            f"?e a osec:Passage ; osec:onBill {S474} ; osec:actingBody organization:us-senate ; osec:eventDate {_d('2023-12-14')} .",
        )
    ],
    "F-EVT-10": [
        (
            "S25",
            f"?v a osec:VoteEvent ; osec:onBill bill:118-hr-5082 ; osec:eventDate {_d('2024-03-21')} ; osec:yesCount 23 ; osec:noCount 0 .",
        )
    ],
    "F-EVT-11": [
        (
            "S21 S23",
            f"?e a osec:Passage ; osec:onBill {S474} ; osec:actingBody organization:us-house ; osec:eventDate {_d('2024-04-29')} .",
        )
    ],
    "F-EVT-12": [
        (
            "S19 S22 S28",
            f"?e a osec:Enactment ; osec:onBill {S474} ; osec:eventDate {_d('2024-05-07')} . {S474} osec:becameLaw {PL59} .",
        )
    ],
    "F-EVT-13": [
        (
            "S41",
            f"?v a osec:VoteEvent ; osec:eventDate {_d('2024-07-30')} ; osec:yesCount 91 ; osec:noCount 3 .",
        )
    ],
    "F-EVT-14": [
        (
            "S42 S43 S44",
            f"edition:tip-report-2016 osec:releaseDate {_d('2016-06-30')} ; dct:publisher organization:us-department-of-state .",
        )
    ],
    "F-EVT-15": [
        (
            "S48",
            f"edition:tip-report-2024 osec:releaseDate {_d('2024-06-24')} ; osec:editionNumber 24 . {CONF} osec:eventDate {_d('2024-06-24')} .",
        )
    ],
    "F-EVT-16": [
        (
            "S57",
            f"?e a osec:Event ; osec:eventDate {_d('2019-02-27')} ; osec:about organization:picacc ; "
            "osec:participant organization:pnp, organization:nbi, organization:afp, organization:uk-nca, organization:ijm .",
        )
    ],
    "F-EVT-17": [
        (
            "S54 S55",
            f"report:scale-of-harm osec:releaseDate {_d('2023-09-07')} ; dct:creator organization:ijm, organization:rights-lab .",
        )
    ],
    # 3.9 US statutes
    "F-USL-01": [
        (
            "S32 S35",
            f'law:us-tvpa-2000 osec:partOfLaw law:us-pl-106-386 ; osec:statutesAtLarge "114 Stat. 1466" ; osec:classifiedTo usc:usc-22-7101 ; '
            f'schema:legislationDate {_d("2000-10-28")} . law:us-pl-106-386 schema:legislationIdentifier "Pub. L. 106-386" .',
        )
    ],
    "F-USL-02": [
        (
            "S35 S43 S45",
            'law:us-tvpa-2000 osec:mandates report:tip-report . report:tip-report osec:theme ?t . FILTER(CONTAINS(?t, "section 108"))',
        )
    ],
    "F-USL-03": [
        (
            "S35 X2",
            f'bill:108-hr-2620 osec:becameLaw law:us-pl-108-193 . law:us-pl-108-193 schema:legislationIdentifier "Pub. L. 108-193" ; '
            f"schema:legislationDate {_d('2003-12-19')} ; osec:addsSection usc:usc-18-1595 .",
        )
    ],
    "F-USL-04": [
        (
            "S35",
            f'law:us-pl-109-164 schema:legislationIdentifier "Pub. L. 109-164" ; schema:legislationDate {_ym("2006-01")} .',
        )
    ],
    "F-USL-05": [
        (
            "S35",
            f'law:us-pl-110-457 schema:legislationIdentifier "Pub. L. 110-457" ; schema:legislationDate {_ym("2008-12")} .',
        )
    ],
    "F-USL-07": [
        (
            "S33 S34",
            f'bill:117-s-3946 osec:becameLaw law:us-pl-117-347 . law:us-pl-117-347 schema:legislationIdentifier "Pub. L. 117-347" ; '
            f'osec:statutesAtLarge "136 Stat. 6199" ; schema:legislationDate {_d("2023-01-05")} .',
        )
    ],
    "F-USL-08": [
        (
            "S32",
            f'law:us-pl-117-348 schema:legislationIdentifier "Pub. L. 117-348" ; osec:statutesAtLarge "136 Stat. 6211" ; schema:legislationDate {_d("2023-01-05")} .',
        )
    ],
    "F-USL-09": [
        (
            "S32",
            f'law:us-pl-117-301 schema:legislationIdentifier "Pub. L. 117-301" ; osec:statutesAtLarge "136 Stat. 4382" ; schema:legislationDate {_d("2022-12-27")} .',
        )
    ],
    "F-USL-10": [
        (
            "S36",
            f'law:us-pl-108-21 schema:legislationIdentifier "Pub. L. 108-21" ; osec:statutesAtLarge "117 Stat. 650" ; schema:legislationDate {_d("2003-04-30")} ; '
            'osec:shortTitle "PROTECT Act" . bill:108-s-151 osec:becameLaw law:us-pl-108-21 .',
        )
    ],
    "F-USL-11": [
        (
            "S30",
            f"law:us-pl-110-401 osec:addsSection usc:usc-18-2258a, usc:usc-18-2258b, usc:usc-18-2258c, usc:usc-18-2258d, usc:usc-18-2258e ; "
            f'osec:addingProvision "title V, section 501(a)" ; osec:statutesAtLarge "122 Stat. 4229" ; schema:legislationDate {_d("2008-10-13")} .',
        )
    ],
    "F-USL-12": [("X6", 'law:us-pl-110-401 osec:shortTitle "PROTECT Our Children Act of 2008" .')],
    "F-USL-13": [
        (
            "S28",
            "oblig:usc-18-2258a-report-to-cybertipline osec:imposedBy usc:usc-18-2258a ; osec:recipient service:cybertipline ; "
            'osec:dutyBearer osec:ElectronicServiceProvider ; osec:deadline "as soon as reasonably possible"@en ; '
            "osec:coversOffence usc:usc-18-2251, usc:usc-18-2251a, usc:usc-18-2252, usc:usc-18-2252a, usc:usc-18-2252b, usc:usc-18-2260, usc:usc-18-1591, usc:usc-18-2422-b ; "
            'osec:requiredAction ?a . FILTER(CONTAINS(?a, "actual knowledge"))',
        )
    ],
    "F-USL-14": [
        (
            "S28",
            'usc:usc-18-2258a-f osec:partOfLaw usc:usc-18-2258a ; dct:description ?d . FILTER(CONTAINS(?d, "no duty to monitor"))',
        )
    ],
    "F-USL-15": [
        (
            "S19 S28",
            'oblig:usc-18-2258a-preserve-report-contents osec:imposedBy usc:usc-18-2258a-h-1 ; osec:retentionPeriod "P1Y"^^xsd:duration ; '
            f'osec:previousRetentionPeriod "P90D"^^xsd:duration ; osec:changedBy {PL59} .',
        )
    ],
    "F-USL-16": [
        (
            "S28",
            " ".join(
                _stat(f"stat:usc-18-2258a-fine-{k}", v, "UpTo", "usc:usc-18-2258a-e")
                for k, v in [
                    ("first-failure-large-provider", "850000"),
                    ("first-failure-small-provider", "600000"),
                    ("later-failure-large-provider", "1000000"),
                    ("later-failure-small-provider", "850000"),
                ]
            ),
        ),
        (
            "S24",
            _stat(
                "stat:usc-18-2258a-fine-first-failure-large-provider",
                "850000",
                "UpTo",
                "usc:usc-18-2258a-e",
            ),
        ),
    ],
    "F-USL-17": [
        (
            "S31",
            _stat(
                "stat:usc-18-2258a-fine-first-failure-before-2024",
                "150000",
                "UpTo",
                "usc:usc-18-2258a-e",
            )
            + " "
            + _stat(
                "stat:usc-18-2258a-fine-later-failure-before-2024",
                "300000",
                "UpTo",
                "usc:usc-18-2258a-e",
            ),
        )
    ],
    "F-USL-18": [
        ("S21 S19", f"{PL59} osec:amends usc:usc-18-2258b ; osec:addsSection usc:usc-18-2258b-d .")
    ],
    "F-USL-20": [
        (
            "S37",
            f'law:us-pl-115-164 schema:legislationIdentifier "Pub. L. 115-164" ; osec:statutesAtLarge "132 Stat. 1253" ; schema:legislationDate {_d("2018-04-11")} . '
            "?p osec:provisionOf law:us-pl-115-164 ; osec:affects usc:usc-47-230 .",
        )
    ],
    "F-USL-21": [
        ("S10", f"{S1829} osec:targets usc:usc-47-230 ."),
        ("S39", "bill:118-s-1207 osec:targets usc:usc-47-230 ."),
    ],
    # 3.10 Philippine laws
    "F-PHL-01": [
        (
            "S66",
            f'law:ph-ra-9208 schema:legislationIdentifier "RA 9208" ; schema:legislationDate {_d("2003-05-26")} .',
        )
    ],
    "F-PHL-02": [
        (
            "S62 S63",
            'organization:iacat osec:establishedBy law:ph-ra-9208 ; osec:establishingProvision "Section 20" .',
        )
    ],
    "F-PHL-03": [("S66 S67 S65", "law:ph-ra-10364 osec:amends law:ph-ra-9208 .")],
    "F-PHL-04": [
        (
            "S67",
            f"law:ph-ra-10364 schema:legislationDate {_d('2013-02-06')} . "
            '?c a osec:Claim ; osec:factId "F-PHL-04" ; osec:confidence osec:Unverified ; osec:claimText ?t . FILTER(CONTAINS(?t, "28 January 2013"))',
        )
    ],
    "F-PHL-05": [
        (
            "S66",
            'law:ph-ra-10364 osec:legislativeSession "15th Congress, 3rd Regular Session" ; schema:legislationPassedBy organization:ph-congress .',
        )
    ],
    "F-PHL-06": [
        (
            "S68",
            f"law:ph-ra-11862 schema:legislationDate {_d('2022-06-23')} ; osec:signedBy person:rodrigo-duterte . "
            f"?p a osec:Passage ; osec:onBill law:ph-ra-11862 ; osec:actingBody organization:ph-congress ; osec:eventDate {_d('2022-02-02')} .",
        )
    ],
    "F-PHL-07": [("S68", "law:ph-ra-11862 osec:amends law:ph-ra-9208 .")],
    "F-PHL-08": [
        (
            "S68",
            "oblig:ph-ra-11862-intermediaries osec:imposedBy law:ph-ra-11862 ; osec:dutyBearer osec:InternetIntermediary, osec:FinancialIntermediary . "
            'oblig:ph-ra-11862-open-investigation osec:imposedBy law:ph-ra-11862 ; osec:dutyBearer osec:LawEnforcementAuthority ; osec:deadline "within 10 days of a report"@en .',
        )
    ],
    "F-PHL-09": [
        (
            "S69",
            f'law:ph-ra-9775 schema:legislationDate {_d("2009-11-17")} ; osec:legislativeSession "14th Congress, 3rd Regular Session" .',
        )
    ],
    "F-PHL-10": [
        (
            "S69 S94",
            'oblig:ph-ra-9775-isp-notify osec:imposedBy law:ph-ra-9775 ; osec:dutyBearer osec:InternetServiceProvider ; osec:deadline "within 7 days"@en ; '
            "osec:recipient organization:pnp, organization:nbi . oblig:ph-ra-9775-isp-filter osec:imposedBy law:ph-ra-9775 . "
            'oblig:ph-ra-9775-host-report osec:dutyBearer osec:InternetContentHost ; osec:deadline "within 7 days"@en . '
            "oblig:ph-ra-9775-host-preserve osec:imposedBy law:ph-ra-9775 . oblig:ph-ra-9775-host-no-hosting osec:imposedBy law:ph-ra-9775 .",
        )
    ],
    "F-PHL-11": [
        (
            "S70",
            f"law:ph-ra-11930 schema:legislationDate {_d('2022-07-30')} ; osec:enactmentMode osec:LapsedIntoLaw .",
        )
    ],
    "F-PHL-12": [
        (
            "S70",
            f'law:ph-ra-11930 osec:effectiveDate {_d("2022-08-23")} ; dct:description ?d . FILTER(CONTAINS(?d, "2022-08-08") && CONTAINS(?d, "2022-08-22"))',
        )
    ],
    "F-PHL-13": [
        (
            "S70",
            "law:ph-ra-11930 osec:amends law:ph-ra-9775 . bill:ph-18-sb-2209 osec:targets law:ph-ra-9995 .",
        )
    ],
    "F-PHL-14": [
        (
            "S70",
            "oblig:ph-ra-11930-providers-block-preserve-cooperate osec:imposedBy law:ph-ra-11930 ; "
            "osec:dutyBearer osec:ElectronicServiceProvider, osec:InternetIntermediary, osec:FinancialIntermediary . "
            "law:ph-ra-11930 osec:subject osec:Grooming, osec:LivestreamedChildSexualAbuse .",
        )
    ],
    "F-PHL-15": [
        (
            "S70 S71",
            f"law:ph-ra-11930-irr osec:implements law:ph-ra-11930 ; schema:legislationPassedBy organization:iacat ; schema:legislationDate {_ym('2023-05')} .",
        )
    ],
    "F-PHL-16": [
        (
            "X5",
            f'law:ph-ra-7610 schema:legislationIdentifier "RA 7610" ; schema:legislationDate {_d("1992-06-17")} .',
        )
    ],
    "F-PHL-17": [
        (
            "X3",
            f"organization:ph-cicc osec:establishedBy law:ph-ra-10175 . law:ph-ra-10175 schema:legislationDate {_y(2012)} .",
        )
    ],
    # 3.11 reports and data
    "F-REP-01": [
        (
            "S42 S43",
            f"edition:tip-report-2016 osec:releaseDate {_d('2016-06-30')} ; osec:periodStart {_d('2015-04-01')} ; osec:periodEnd {_d('2016-03-31')} .",
        )
    ],
    "F-REP-02": [
        (
            "S42 S43 S44",
            _tiers([2016], "Tier1")
            + ' tier:philippines-2016 dct:description ?d . FILTER(CONTAINS(?d, "Southeast Asian")) '
            + _stat(
                "stat:philippines-trafficking-convictions-tip-2016",
                "42",
                "Exactly",
                "country:philippines",
            )
            + " "
            + _stat(
                "stat:philippines-online-child-sex-trafficking-convictions-tip-2016",
                "5",
                "Exactly",
                "country:philippines",
            ),
        )
    ],
    "F-REP-03": [
        (
            "S93",
            f"edition:tip-report-2023 osec:releaseDate {_d('2023-06-15')} ; osec:statistic ?s . "
            + _stat("?s", "30", "Exactly", "edition:tip-report-2023")
            + " "
            + _tiers([2023], "Tier1"),
        )
    ],
    "F-REP-04": [
        (
            "S48",
            f"edition:tip-report-2024 osec:releaseDate {_d('2024-06-24')} ; osec:editionNumber 24 ; osec:countriesCovered 188 ; "
            "osec:releasedBy person:antony-blinken, person:cindy-dyer .",
        )
    ],
    "F-REP-05": [
        (
            "S48",
            'edition:tip-report-2024 osec:subject osec:OSEC ; osec:theme ?t . FILTER(CONTAINS(?t, "digital technology"))',
        )
    ],
    "F-REP-06": [
        (
            "S49",
            _tiers([2024], "Tier1")
            + ' tier:philippines-2024 dct:description ?d . FILTER(CONTAINS(?d, "Ninth") && CONTAINS(?d, "scam") && CONTAINS(?d, "complicity"))',
        )
    ],
    "F-REP-07": [
        (
            "S50",
            _tiers([2025], "Tier1")
            + " edition:tip-report-2025 osec:countriesCovered 188 ; osec:statistic ?s . "
            + _stat("?s", "33", "Exactly", "edition:tip-report-2025")
            + ' tier:philippines-2025 dct:description ?d . FILTER(CONTAINS(?d, "2025-09-30"))',
        )
    ],
    "F-REP-08": [
        (
            "S54 S55 S56",
            "report:scale-of-harm osec:headlineStatistic ?h ; osec:statistic ?r . "
            + _stat("?h", "500000", "Nearly", "country:philippines")
            + f" ?h osec:periodStart {_y(2022)} ; osec:periodEnd {_y(2022)} . "
            + _stat("?r", "1", "Approximately", "country:philippines")
            + ' ?r osec:unit "per 100 children" .',
        )
    ],
    "F-REP-09": [
        (
            "S54 S55",
            "report:scale-of-harm osec:statistic ?a, ?b, ?c ; dct:description ?d . "
            + _stat("?a", "24", "Exactly", "report:scale-of-harm")
            + " "
            + _stat("?b", "15", "AsLittleAs", "country:philippines")
            + ' ?b osec:unit "GBP" . '
            + _stat("?c", "40", "AsLittleAs", "country:philippines")
            + ' ?c osec:unit "AUD" . FILTER(CONTAINS(?d, "survivors") && CONTAINS(?d, "Canada"))',
        )
    ],
    "F-REP-10": [
        (
            "S11",
            _stat(
                "stat:cybertipline-reports-2014",
                '"1100000"^^xsd:decimal',
                "Approximately",
                "service:cybertipline",
            ),
        ),
        (
            "S11 S24",
            _stat(
                "stat:cybertipline-reports-2023",
                '"36200000"^^xsd:decimal',
                "Approximately",
                "service:cybertipline",
            ),
        ),
        (
            "S75",
            _stat(
                "stat:cybertipline-reports-2022",
                '"32000000"^^xsd:decimal',
                "Approximately",
                "service:cybertipline",
            )
            + " "
            + _stat(
                "stat:cybertipline-reports-2022-csam-category",
                '"31900000"^^xsd:decimal',
                "Approximately",
                "service:cybertipline",
            ),
        ),
        (
            "S74",
            _stat(
                "stat:cybertipline-reports-2024",
                '"20500000"^^xsd:decimal',
                "Approximately",
                "service:cybertipline",
            )
            + ' stat:cybertipline-reports-2024 dct:description ?d . FILTER(CONTAINS(?d, "bundling"))',
        ),
    ],
    "F-REP-11": [
        (
            "S74",
            _stat(
                "stat:cybertipline-online-enticement-reports-2023",
                "186819",
                "Exactly",
                "service:cybertipline",
            )
            + " "
            + _stat(
                "stat:cybertipline-online-enticement-reports-2024",
                "546000",
                "MoreThan",
                "service:cybertipline",
            ),
        )
    ],
    "F-REP-12": [
        (
            "S74",
            _stat(
                "stat:cybertipline-urgent-escalations-2023",
                "63892",
                "Exactly",
                "service:cybertipline",
            )
            + f" stat:cybertipline-urgent-escalations-2023 osec:periodStart {_y(2023)} .",
        )
    ],
    "F-REP-13": [
        (
            "S61",
            _stat("stat:philippines-osec-cybertips-2017", "45645", "Exactly", "country:philippines")
            + f" stat:philippines-osec-cybertips-2017 osec:periodStart {_y(2017)} .",
        )
    ],
    "F-REP-14": [
        (
            "S91",
            "report:disrupting-harm-philippines dct:creator organization:unicef ; osec:headlineStatistic ?a ; osec:statistic ?b . "
            + _stat("?a", "20", "Exactly", "country:philippines")
            + ' ?a osec:unit "percent" . '
            + _stat("?b", "2000000", "Approximately", "country:philippines"),
        )
    ],
    # 3.12 tiers
    "F-TIER-02": [("S46 S44 S45", _tiers([2004, 2005], "Tier2WatchList"))],
    "F-TIER-03": [
        (
            "S46 S45",
            _tiers([2006, 2007, 2008], "Tier2")
            + " tier:philippines-2007 osec:confidence osec:Likely .",
        )
    ],
    "F-TIER-04": [("S46 S44 S45", _tiers([2009, 2010], "Tier2WatchList"))],
    "F-TIER-05": [("S45 S47 S43", _tiers(range(2011, 2016), "Tier2"))],
    "F-TIER-06": [("S42 S43 S44", _tiers([2016], "Tier1"))],
    "F-TIER-07": [
        ("X1", _tiers(range(2017, 2023), "Tier1")),
        ("S45", _tiers([2017], "Tier1")),
        ("S47", _tiers([2017, 2018], "Tier1")),
    ],
    "F-TIER-08": [("S93", _tiers([2023], "Tier1"))],
    "F-TIER-09": [("S49", _tiers([2024], "Tier1"))],
    "F-TIER-10": [("S50", _tiers([2025], "Tier1"))],
    # 3.13 awards
    "F-AWD-01": [
        (
            "S48",
            f"award:tip-report-hero osec:firstEditionYear {_y(2004)} ; osec:awardedBy organization:us-department-of-state .",
        )
    ],
    "F-AWD-02": [
        (
            "S51 S52",
            f"{CONF} osec:award award:tip-report-hero ; osec:awardee {INO} ; osec:awardYear {_y(2024)} .",
        )
    ],
}

# Facts the fact base marks unverified: present only as osec:Claim nodes marked unverified, and
# never as plain triples (the second pattern must find nothing in any graph).
UNVERIFIED: dict[str, tuple[str, str]] = {
    "F-USL-06": ("X6", '?x schema:legislationIdentifier ?id . FILTER(CONTAINS(?id, "113-4"))'),
    "F-USL-19": (
        "S28",
        '{ ?x schema:legislationIdentifier "Pub. L. 119-60" } UNION { usc:usc-18-2258a-c osec:changedBy ?x } UNION { ?y osec:amends usc:usc-18-2258a-c }',
    ),
    "F-TIER-01": (
        "X6",
        '?p osec:country country:philippines ; osec:reportYear ?y . FILTER(?y IN ("2001"^^xsd:gYear, "2002"^^xsd:gYear, "2003"^^xsd:gYear))',
    ),
}

# Unverified parts of facts that are otherwise verified or likely: never plain triples either.
UNVERIFIED_PARTS: dict[str, str] = {
    "F-BIL-45 vehicle S.2073": '?x schema:legislationIdentifier "S.2073"',
    "F-DOC-10 / C6 wording": '?x ?p ?text . FILTER(isLiteral(?text) && CONTAINS(LCASE(STR(?text)), "pivotal role")) FILTER NOT EXISTS { ?x a osec:Claim }',
    "F-PHL-04 jur.ph date": 'law:ph-ra-10364 schema:legislationDate "2013-01-28"^^xsd:date',
    "F-PHL-15 IRR day": '?x schema:legislationDate ?d . FILTER(?d IN ("2023-05-04"^^xsd:date, "2023-05-18"^^xsd:date))',
}
