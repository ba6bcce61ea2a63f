#!/usr/bin/env python3
"""Label a DataFrame of news articles with postura inside Spark (``mapInPandas``).

    spark-submit examples/spark/label_job.py --input articles.jsonl --actor "José Antonio Kast" \
        --alias Kast --output out/ [--per sentence|article] [--master local[2]]

Each Spark task loads postura's model once (the embedded default model, or ``--model``, a file
every worker can read) and labels its partition's articles batch by batch with
``postura.label_articles``, in the Python worker's process — no binary to pipe through. The
input is JSON lines with ``id`` and ``text`` fields (``spark.read.json``); the output is one row
per sentence that mentions the actor (or per article and actor), written as JSON lines.
Prints the row count and the wall time of the labeling stage on stdout as a JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Iterator

import pandas as pd
from pyspark.sql import SparkSession
from pyspark.sql.types import BooleanType, DoubleType, LongType, StringType, StructField, StructType

SENTENCE_SCHEMA = StructType(
    [
        StructField("article", StringType()),
        StructField("sentence", LongType()),
        StructField("start", LongType()),
        StructField("end", LongType()),
        StructField("actor", StringType()),
        StructField("mentioned", BooleanType()),
        StructField("label", StringType()),
        StructField("confidence", DoubleType()),
        StructField("text", StringType()),
    ]
)
ARTICLE_SCHEMA = StructType(
    [
        StructField("article", StringType()),
        StructField("actor", StringType()),
        StructField("sentences", LongType()),
        StructField("mentions", LongType()),
        StructField("stance", StringType()),
        StructField("confidence", DoubleType()),
    ]
)


def labeler(actor: str, aliases: list[str], per: str, model_path: str | None):
    """The function mapInPandas runs on each partition: pandas batches in, label rows out."""
    schema = SENTENCE_SCHEMA if per == "sentence" else ARTICLE_SCHEMA
    columns = [f.name for f in schema.fields]

    def label_partition(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        import postura  # imported on the worker

        model = postura.Model.load(model_path) if model_path else postura.Model.default()
        for batch in batches:
            rows = postura.label_articles(batch, actors=actor, aliases=aliases, per=per, model=model)
            frame = pd.DataFrame(rows, columns=columns)
            yield frame

    return label_partition


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", required=True, help="JSON lines with id and text fields")
    ap.add_argument("--output", required=True, help="folder for the labeled rows (JSON lines)")
    ap.add_argument("--actor", required=True)
    ap.add_argument("--alias", action="append", default=[])
    ap.add_argument("--per", choices=["sentence", "article"], default="sentence")
    ap.add_argument("--model", help="model file every worker can read [default: the embedded model]")
    ap.add_argument("--master", default=None, help="Spark master (default: spark-submit's, else local[2])")
    ap.add_argument("--partitions", type=int, default=None, help="repartition the input first")
    args = ap.parse_args(argv)

    builder = SparkSession.builder.appName("postura-label")
    if args.master or not SparkSession.getActiveSession():
        builder = builder.master(args.master or "local[2]")
    spark = (
        builder.config("spark.sql.execution.arrow.maxRecordsPerBatch", "2000")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("WARN")
    articles = spark.read.json(args.input).select("id", "text")
    if args.partitions:
        articles = articles.repartition(args.partitions)
    schema = SENTENCE_SCHEMA if args.per == "sentence" else ARTICLE_SCHEMA
    started = time.perf_counter()
    labeled = articles.mapInPandas(labeler(args.actor, args.alias, args.per, args.model), schema)
    labeled.write.mode("overwrite").json(args.output)
    seconds = time.perf_counter() - started
    rows = spark.read.json(args.output).count()
    print(json.dumps({"rows": rows, "seconds": round(seconds, 3), "per": args.per, "master": spark.sparkContext.master}))
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
