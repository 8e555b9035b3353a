"""``python -m portal.i18n.todo [LANG ...]``: what is left to translate, catalogue by
catalogue (run by ``scripts/translations todo``); exit status 1 when anything is."""

from __future__ import annotations

import sys

from portal.i18n.audit import CatalogueReport, all_reports, shown


def describe(report: CatalogueReport) -> list[str]:
    """The report as lines: a heading, then each entry to fix."""
    path = f"portal/translations/{report.language}/LC_MESSAGES/{report.domain}.po"
    lines = [
        f"{path}: {len(report.untranslated)} untranslated, {len(report.fuzzy)} fuzzy, "
        f"{len(report.missing)} missing, {len(report.extra)} no longer used, "
        f"{len(report.broken)} broken"
    ]
    lines += [f"  untranslated {shown(key)}" for key in report.untranslated]
    lines += [f"  fuzzy        {shown(key)}" for key in report.fuzzy]
    lines += [f"  missing      {shown(key)}" for key in report.missing]
    lines += [f"  not used     {shown(key)}" for key in report.extra]
    lines += [f"  broken       {problem}" for problem in report.broken]
    if report.plural_forms:
        lines.append(f"  plural forms {report.plural_forms}")
    return lines


def main(languages: list[str]) -> int:
    """Print what each catalogue (of the given languages, or all) still needs."""
    todo = [
        report
        for report in all_reports()
        if not report.clean and (not languages or report.language in languages)
    ]
    for report in todo:
        print("\n".join(describe(report)))
    if not todo:
        print("every catalogue is complete")
    return 1 if todo else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
