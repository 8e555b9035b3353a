"""Licences to SPDX ids, and access rights."""

from __future__ import annotations

import pytest

from harvester.normalise.vocab import access_rights, spdx_ids, spdx_license


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Creative Commons URLs in the forms providers send
        ("https://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0"),
        ("http://creativecommons.org/licenses/by/4.0/legalcode", "CC-BY-4.0"),
        ("https://creativecommons.org/licenses/by/4.0/legalcode", "CC-BY-4.0"),
        ("https://creativecommons.org/licenses/by/4.0/deed.de", "CC-BY-4.0"),
        ("https://creativecommons.org/licenses/by/4.0/legalcode.fr", "CC-BY-4.0"),
        ("https://www.creativecommons.org/licenses/by/4.0", "CC-BY-4.0"),
        ("creativecommons.org/licenses/by-sa/4.0", "CC-BY-SA-4.0"),
        ("http://creativecommons.org/licenses/by-nc/4.0/legalcode", "CC-BY-NC-4.0"),
        ("http://creativecommons.org/licenses/by-nc-sa/4.0/", "CC-BY-NC-SA-4.0"),
        ("https://creativecommons.org/licenses/by-nc-nd/3.0/", "CC-BY-NC-ND-3.0"),
        ("https://creativecommons.org/licenses/by-nd/2.0/", "CC-BY-ND-2.0"),
        ("https://creativecommons.org/licenses/by/1.0/legalcode", "CC-BY-1.0"),
        ("https://creativecommons.org/licenses/by-nd-nc/1.0/", "CC-BY-NC-ND-1.0"),
        ("http://creativecommons.org/publicdomain/zero/1.0/legalcode", "CC0-1.0"),
        ("http://creativecommons.org/publicdomain/zero/1.0", "CC0-1.0"),
        ("https://creativecommons.org/publicdomain/zero/1.0/deed.en", "CC0-1.0"),
        ("https://creativecommons.org/licenses/by/3.0/de/", "CC-BY-3.0-DE"),
        ("https://creativecommons.org/licenses/by/3.0/es/", None),  # port SPDX does not list
        ("https://creativecommons.org/licenses/by/", None),  # no version
        # other URLs
        ("https://opendefinition.org/licenses/odc-odbl", "ODbL-1.0"),
        ("http://opendatacommons.org/licenses/odbl/", "ODbL-1.0"),
        ("https://opendatacommons.org/licenses/by/1-0/", "ODC-By-1.0"),
        ("https://opendefinition.org/licenses/cc-zero/", "CC0-1.0"),
        ("https://opendefinition.org/licenses/cc-by", None),  # no version
        ("https://spdx.org/licenses/CC-BY-4.0.html", "CC-BY-4.0"),
        ("https://spdx.org/licenses/MIT", "MIT"),
        ("https://opensource.org/licenses/MIT", "MIT"),
        ("http://www.apache.org/licenses/LICENSE-2.0", "Apache-2.0"),
        ("https://www.govdata.de/dl-de/by-2-0", "DL-DE-BY-2.0"),
        ("https://www.gnu.org/licenses/gpl-3.0.html", "GPL-3.0-only"),
        ("https://example.org/my-licence", None),
        # names and spellings
        ("CC BY 4.0", "CC-BY-4.0"),
        ("CC-BY-4.0", "CC-BY-4.0"),
        ("cc-by-4.0", "CC-BY-4.0"),
        ("CC BY 4", "CC-BY-4.0"),
        ("License: CC BY 4.0", "CC-BY-4.0"),
        ("CC-BY-SA-4.0", "CC-BY-SA-4.0"),
        ("CC BY-NC-ND 3.0", "CC-BY-NC-ND-3.0"),
        ("Creative Commons Attribution 4.0 International", "CC-BY-4.0"),
        ("Creative Commons Attribution 4.0 International License", "CC-BY-4.0"),
        ("Attribution 4.0 International (CC BY 4.0)", "CC-BY-4.0"),
        (
            "Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International",
            "CC-BY-NC-SA-4.0",
        ),
        ("Creative Commons Attribution-NoDerivs 3.0 Unported", "CC-BY-ND-3.0"),
        ("CC0 1.0", "CC0-1.0"),
        ("CC0", "CC0-1.0"),
        ("cc-zero", "CC0-1.0"),
        ("CC0 1.0 Universal (CC0 1.0) Public Domain Dedication", "CC0-1.0"),
        ("Public Domain Dedication", "CC0-1.0"),
        ("Open Data Commons Public Domain Dedication and License", "PDDL-1.0"),
        ("ODbL", "ODbL-1.0"),
        ("ODC-ODbL", "ODbL-1.0"),
        ("ODC-By", "ODC-By-1.0"),
        ("Open Data Commons Open Database License", "ODbL-1.0"),
        ("MIT", "MIT"),
        ("MIT License", "MIT"),
        ("Apache 2.0", "Apache-2.0"),
        ("Apache License 2.0", "Apache-2.0"),
        ("Apache License, Version 2.0", "Apache-2.0"),
        ("GPL-3.0", "GPL-3.0-only"),
        ("GPLv3", "GPL-3.0-only"),
        ("GPL-3.0+", "GPL-3.0-or-later"),
        ("GPL-3.0-or-later", "GPL-3.0-or-later"),
        ("EUPL 1.2", "EUPL-1.2"),
        ("EUPL-1.2", "EUPL-1.2"),
        ("European Union Public Licence v. 1.2", "EUPL-1.2"),
        ("dl-de/by-2-0", "DL-DE-BY-2.0"),
        ("Datenlizenz Deutschland – Namensnennung – Version 2.0", "DL-DE-BY-2.0"),
        # decided: no version, no SPDX id
        ("CC BY", None),
        ("cc-by", None),
        ("CC-BY-SA", None),
        ("Creative Commons Attribution", None),
        ("Apache", None),
        ("GPL", None),
        # not licences
        ("info:eu-repo/semantics/openAccess", None),
        ("Open Access", None),
        ("other-pd", None),
        ("notspecified", None),
        ("", None),
    ],
)
def test_spdx_license(text: str, expected: str | None) -> None:
    assert spdx_license(text) == expected


def test_every_result_is_in_the_table() -> None:
    ids = spdx_ids()
    assert {"CC-BY-4.0", "CC0-1.0", "ODbL-1.0", "MIT", "EUPL-1.2", "DL-DE-BY-2.0"} <= ids
    assert not any(i.upper() == "CC-BY" for i in ids)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("info:eu-repo/semantics/openAccess", "open"),
        ("info:eu-repo/semantics/embargoedAccess", "embargoed"),
        ("info:eu-repo/semantics/restrictedAccess", "restricted"),
        ("info:eu-repo/semantics/closedAccess", "closed"),
        ("http://purl.org/coar/access_right/c_abf2", "open"),
        ("https://purl.org/coar/access_right/c_f1cf/", "embargoed"),
        ("http://purl.org/coar/access_right/c_16ec", "restricted"),
        ("http://purl.org/coar/access_right/c_14cb", "metadata-only"),
        ("http://publications.europa.eu/resource/authority/access-right/PUBLIC", "open"),
        ("http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC", "closed"),
        ("Open Access", "open"),
        ("open", "open"),
        ("Offen", "open"),
        ("accès ouvert", "open"),
        ("embargoed", "embargoed"),
        ("restricted", "restricted"),
        ("Available on request", "restricted"),
        ("closed", "closed"),
        ("metadata only", "metadata-only"),
        ("Open Access (CC BY 4.0)", "open"),
        ("CC BY 4.0", None),
        ("whatever", None),
        ("", None),
    ],
)
def test_access_rights(text: str, expected: str | None) -> None:
    assert access_rights(text) == expected
