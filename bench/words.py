"""Vocabulary for generated article text: ordinary English words, no copied prose."""

NOUNS = """
sleep magnesium habit routine study trial dose evidence body mind muscle heart brain
diet meal breakfast protein fibre vitamin mineral water coffee tea sugar salt fat
walk run stretch posture breath stress mood energy focus memory hormone gut
bacteria immune system clinic doctor nurse patient researcher reader question answer
season winter summer morning evening night week month year family child parent
friend colleague office commute screen phone light noise room bed pillow mattress
garden park city village kitchen recipe vegetable fruit grain bean nut seed oil
skin bone joint knee back shoulder neck eye ear tooth headache fever cough cold
allergy pollen dust exercise yoga swim cycle strength balance recovery rest
nap alarm schedule calendar goal plan change result benefit risk cost trade
""".split()

ADJECTIVES = """
small large quiet steady gentle simple careful modest regular daily weekly early
late bright dark warm cool fresh common rare useful practical clear honest
recent older younger healthy tired calm busy slow quick strong light heavy
natural balanced consistent surprising reliable local national seasonal
""".split()

VERBS = """
helps improves supports reduces changes affects shapes builds eases slows
measures tracks shows suggests finds explains compares follows tests asks
""".split()

LINKS = """
and but so because while although when if since yet then also often rarely
usually sometimes perhaps still even
""".split()

ATTRIBUTIONS = [
    "a sleep researcher",
    "a family doctor",
    "a physiotherapist",
    "a registered dietitian",
    "a running coach",
    "one of our readers",
]


def query_mix(count: int, seed: int = 6) -> list[str]:
    """A fixed, seeded mix of one-, two- and three-word queries from the vocabulary
    (bench/search_latency.py and bench/scale.py time the same queries)."""
    import random

    rng = random.Random(seed)
    vocabulary = NOUNS + ADJECTIVES
    return [
        " ".join(rng.sample(vocabulary, rng.choice((1, 2, 3)))) for _ in range(count)
    ]
