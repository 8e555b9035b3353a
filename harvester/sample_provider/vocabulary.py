"""What synthetic records are made of: topics in six languages, title and description
templates, places, organisations, formats, licences and set names (all invented or
generic, no real dataset is described)."""

from __future__ import annotations

from typing import Final

LANGS: Final = ("en", "de", "fr", "nl", "es", "it")
# Languages weighted towards English, as in real aggregators.
LANG_WEIGHTS: Final = ("en", "en", "en", "de", "fr", "nl", "es", "it", "en", "de")

# One phrase per topic in each of LANGS, with the English subject keywords it implies.
TOPICS: Final[tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]] = (
    (
        (
            "Garden bird counts",
            "Gartenvogelzählung",
            "Comptage des oiseaux des jardins",
            "Tuinvogeltelling",
            "Censo de aves de jardín",
            "Censimento degli uccelli da giardino",
        ),
        ("birds", "ornithology", "biodiversity"),
    ),
    (
        (
            "Bees & hoverflies on urban flowers",
            "Bienen & Schwebfliegen auf Stadtblumen",
            "Abeilles & syrphes des fleurs urbaines",
            "Bijen & zweefvliegen op stadsbloemen",
            "Abejas y sírfidos en flores urbanas",
            "Api e sirfidi sui fiori urbani",
        ),
        ("pollinators", "insects", "urban ecology"),
    ),
    (
        (
            "Street-level NO₂ measurements",
            "NO₂-Messungen auf Straßenniveau",
            "Mesures de NO₂ au niveau de la rue",
            "NO₂-metingen op straatniveau",
            "Mediciones de NO₂ a pie de calle",
            "Misure di NO₂ a livello stradale",
        ),
        ("air quality", "nitrogen dioxide", "environmental monitoring"),
    ),
    (
        (
            "Fine dust (PM2.5) sensor network",
            "Feinstaub-Sensornetz (PM2,5)",
            "Réseau de capteurs de particules fines (PM2,5)",
            "Fijnstof-sensornetwerk (PM2,5)",
            "Red de sensores de partículas finas (PM2,5)",
            "Rete di sensori di polveri sottili (PM2,5)",
        ),
        ("air quality", "particulate matter", "low-cost sensors"),
    ),
    (
        (
            "Freshwater quality sampling",
            "Gewässergüte-Probenahme",
            "Prélèvements de qualité de l'eau douce",
            "Bemonstering van zoetwaterkwaliteit",
            "Muestreo de la calidad del agua dulce",
            "Campionamento della qualità dell'acqua dolce",
        ),
        ("water quality", "rivers", "nitrate"),
    ),
    (
        (
            "Night sky brightness survey",
            "Erhebung der Nachthimmelshelligkeit",
            "Relevé de la luminosité du ciel nocturne",
            "Meting van de hemelhelderheid 's nachts",
            "Estudio del brillo del cielo nocturno",
            "Indagine sulla luminosità del cielo notturno",
        ),
        ("light pollution", "astronomy", "night sky"),
    ),
    (
        (
            "Invasive plant sightings",
            "Sichtungen invasiver Pflanzen",
            "Observations de plantes invasives",
            "Waarnemingen van invasieve planten",
            "Avistamientos de plantas invasoras",
            "Avvistamenti di piante invasive",
        ),
        ("invasive species", "botany", "biodiversity"),
    ),
    (
        (
            "Marine litter on beaches",
            "Meeresmüll an Stränden",
            "Déchets marins sur les plages",
            "Zwerfafval op stranden",
            "Basura marina en playas",
            "Rifiuti marini sulle spiagge",
        ),
        ("marine litter", "plastics", "coasts"),
    ),
    (
        (
            "Urban noise recordings",
            "Lärmaufzeichnungen in der Stadt",
            "Enregistrements du bruit urbain",
            "Geluidsopnames in de stad",
            "Grabaciones de ruido urbano",
            "Registrazioni del rumore urbano",
        ),
        ("noise", "soundscape", "public health"),
    ),
    (
        (
            "Butterfly transect walks",
            "Tagfalter-Transektbegehungen",
            "Transects de papillons",
            "Vlindertransecttellingen",
            "Transectos de mariposas",
            "Transetti di farfalle",
        ),
        ("butterflies", "insects", "biodiversity"),
    ),
    (
        (
            "Rainfall and hail reports",
            "Niederschlags- und Hagelmeldungen",
            "Signalements de pluie et de grêle",
            "Meldingen van regen en hagel",
            "Informes de lluvia y granizo",
            "Segnalazioni di pioggia e grandine",
        ),
        ("weather", "precipitation", "climate"),
    ),
    (
        (
            "Roadkill observations",
            "Beobachtungen von Verkehrsopfern unter Wildtieren",
            "Observations de la faune tuée sur les routes",
            "Waarnemingen van verkeersslachtoffers",
            "Observaciones de atropellos de fauna",
            "Osservazioni di fauna investita",
        ),
        ("wildlife", "roads", "mammals"),
    ),
)

TITLE_TEMPLATES: Final = {
    "en": "{topic} in {place}, {year}",
    "de": "{topic} in {place}, {year}",
    "fr": "{topic} à {place}, {year}",
    "nl": "{topic} in {place}, {year}",
    "es": "{topic} en {place}, {year}",
    "it": "{topic} a {place}, {year}",
}

DESCRIPTION_TEMPLATES: Final = {
    "en": "Volunteers of {org} collected {n} observations around {place} between {y1} and {y2}. "
    "Records were checked by the project team before publication.",
    "de": "Ehrenamtliche von {org} sammelten zwischen {y1} und {y2} {n} Beobachtungen "
    "rund um {place}. Die Daten wurden vor der Veröffentlichung geprüft.",
    "fr": "Les bénévoles de {org} ont réuni {n} observations autour de {place} entre {y1} et "
    "{y2}. Les données ont été vérifiées avant leur publication.",
    "nl": "Vrijwilligers van {org} verzamelden tussen {y1} en {y2} {n} waarnemingen rond "
    "{place}. De gegevens zijn vóór publicatie gecontroleerd.",
    "es": "Los voluntarios de {org} reunieron {n} observaciones en {place} entre {y1} y {y2}. "
    "Los datos se revisaron antes de su publicación.",
    "it": "I volontari di {org} hanno raccolto {n} osservazioni intorno a {place} tra il {y1} "
    "e il {y2}. I dati sono stati controllati prima della pubblicazione.",
}

PLACES: Final = (
    ("Zürich", "CH"),
    ("Kraków", "PL"),
    ("Ghent", "BE"),
    ("Malmö", "SE"),
    ("Besançon", "FR"),
    ("Córdoba", "ES"),
    ("Utrecht", "NL"),
    ("Graz", "AT"),
    ("Bologna", "IT"),
    ("Tartu", "EE"),
    ("Porto", "PT"),
    ("Cork", "IE"),
    ("Ljubljana", "SI"),
    ("Brno", "CZ"),
    ("Tampere", "FI"),
    ("Aarhus", "DK"),
    ("Münster", "DE"),
    ("Thessaloniki", "GR"),
    ("Cluj-Napoca", "RO"),
    ("Lyon", "FR"),
    ("the Wadden Sea coast", "NL"),
    ("the Black Forest", "DE"),
)

ORGS: Final = (
    "Natuurpunt Werkgroep Stadsnatuur",
    "Naturschutzbund Ortsgruppe Süd",
    "Observatoire citoyen de l'environnement",
    "Asociación Ciencia Ciudadana del Sur",
    "Citizen Sensing Lab",
    "Museo Civico di Storia Naturale",
    "Open Air Quality Collective",
    "River Keepers Network",
    "Dark Sky Friends",
    "Coastal Clean-up Volunteers",
    "Stadtlabor für Bürgerwissenschaft",
    "University Citizen Science Office",
)

FORMATS: Final = (
    "text/csv",
    "application/json",
    "application/geo+json",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)

LICENCES: Final = (
    "https://creativecommons.org/licenses/by/4.0/",
    "https://creativecommons.org/publicdomain/zero/1.0/",
    "https://creativecommons.org/licenses/by-sa/4.0/",
    "https://creativecommons.org/licenses/by-nc/4.0/",
    "Open Data Commons Open Database License (ODbL) v1.0",
)

SET_NAMES: Final = (
    ("biodiversity", "Biodiversity and nature"),
    ("environment", "Air, water and noise"),
    ("climate", "Weather and climate"),
    ("astronomy", "Sky and astronomy"),
    ("health", "Health and society"),
)
