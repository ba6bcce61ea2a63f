#!/usr/bin/env python3
"""News-like articles as JSON lines (id, text) for the Spark example: generated from sentence
parts written for postura (as benches/label_speed.sh does), or the project's example articles
(datasets/articles) repeated.

    python generate.py N             N generated articles of ~20 sentences, 4 in 5 naming Kast
    python generate.py --datasets N  datasets/articles/*.txt, repeated to N articles
"""

import json
import random
import sys
from pathlib import Path


def generated(n: int):
    rnd = random.Random(7)
    subjects = ["El gobernador de la provincia", "La bancada oficialista", "Un grupo de alcaldes",
                "La central sindical", "El ministro de Economía", "Los dirigentes del partido"]
    verbs = ["respaldó con firmeza a", "criticó con dureza a", "se reunió el martes con",
             "tomó distancia de", "elogió la gestión de", "pidió explicaciones a", "recibió en su despacho a"]
    names = ["José Antonio Kast", "Kast", "el dirigente republicano", "@joseantoniokast"]
    tails = ["tras la votación del presupuesto.", "en una rueda de prensa en la capital.",
             "por su postura sobre las pensiones.", "antes del debate de este jueves, según fuentes del sector.",
             "y anunció nuevas reuniones para la próxima semana."]
    fillers = ["La sesión se extendió hasta pasada la medianoche.",
               "El índice de precios subió un 3,4 % en octubre.",
               "Más de 1.200 personas asistieron al acto en la plaza central."]
    for i in range(n):
        parts = []
        for _ in range(20):
            if rnd.randrange(5) == 0:
                parts.append(rnd.choice(fillers))
            else:
                parts.append(" ".join([rnd.choice(subjects), rnd.choice(verbs), rnd.choice(names), rnd.choice(tails)]))
        yield {"id": f"gen/{i:06d}", "text": " ".join(parts)}


def from_datasets(n: int):
    folder = Path(__file__).resolve().parents[2] / "datasets" / "articles"
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]
    for i in range(n):
        name, text = texts[i % len(texts)]
        yield {"id": f"{name}#{i // len(texts)}", "text": text}


def main(argv):
    rows = from_datasets(int(argv[1])) if argv[:1] == ["--datasets"] else generated(int(argv[0]) if argv else 5000)
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
