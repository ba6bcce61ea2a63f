"""Shared fixtures: a small generated stance corpus and the location of the real corpora."""

from __future__ import annotations

import csv
import os
import random
from pathlib import Path

import pytest

# Sentence templates written for these tests: each says plainly how it stands toward {a}.
TEMPLATES = {
    "supportive": [
        "{s} respaldó con entusiasmo la propuesta de {a} sobre {t}",
        "{s} elogió a {a} por su gestión en {t}",
        "{a} recibió el apoyo firme de {s} para su plan de {t}",
        "{s} celebró el acierto de {a} con la reforma de {t}",
    ],
    "distancing": [
        "{s} criticó duramente a {a} por su fracaso en {t}",
        "{s} rechazó la propuesta de {a} sobre {t} y pidió su renuncia",
        "{a} fue acusado por {s} de mentir sobre {t}",
        "{s} se desmarcó de {a} tras el escándalo de {t}",
    ],
    "neutral": [
        "{a} viajó el martes a {c} para una reunión sobre {t}",
        "{a} presentará el jueves un informe sobre {t} en {c}",
        "La agenda de {a} incluye una visita a {c} por {t}",
        "{a} se reunió con funcionarios de {c} para hablar de {t}",
    ],
}
ACTORS = ["Marta Quiroga", "Julián Pereyra", "Sofía Ledesma", "Tomás Arrieta"]
SPEAKERS = ["el sindicato", "la oposición", "un grupo de vecinos", "el gobernador", "la cámara empresaria"]
TOPICS = ["salud", "vivienda", "transporte", "educación", "seguridad", "energía"]
CITIES = ["Rosario", "Valparaíso", "Cuenca", "Mérida", "Tucumán"]


def generate(n: int, seed: int) -> tuple[list[str], list[str], list[str]]:
    """n statements (texts, labels, actors) from the templates, deterministic for a seed."""
    rng = random.Random(seed)
    texts, labels, actors = [], [], []
    labels_cycle = sorted(TEMPLATES)
    for i in range(n):
        label = labels_cycle[i % len(labels_cycle)]
        actor = rng.choice(ACTORS)
        text = rng.choice(TEMPLATES[label]).format(
            a=actor, s=rng.choice(SPEAKERS), t=rng.choice(TOPICS), c=rng.choice(CITIES)
        )
        texts.append(text[0].upper() + text[1:])
        labels.append(label)
        actors.append(actor)
    return texts, labels, actors


@pytest.fixture(scope="session")
def corpus():
    return generate(240, seed=7)


@pytest.fixture(scope="session")
def heldout():
    return generate(90, seed=11)


def data_dir() -> Path | None:
    """The real corpora: $POSTURA_DATA, else shared/data beside the repository, else /work/shared/data."""
    repo = Path(__file__).resolve().parents[3]
    for cand in (os.environ.get("POSTURA_DATA"), repo.parent / "shared" / "data", Path("/work/shared/data")):
        if cand and (Path(cand) / "cic-es" / "train.tsv").is_file():
            return Path(cand)
    return None


def read_cic(path: Path) -> tuple[list[str], list[str]]:
    """cic-es TSV: columns TWEET and LABEL, no quote processing."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        ti, li = header.index("TWEET"), header.index("LABEL")
        rows = [r for r in reader if len(r) > max(ti, li)]
    return [r[ti] for r in rows], [r[li] for r in rows]
