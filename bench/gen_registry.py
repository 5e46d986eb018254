"""Generate a synthetic CCC registry file (JSON Lines) for import load tests.

    python bench/gen_registry.py 1000000 /tmp/ccc_scale.jsonl

Serials start at 500000, as ../shared/data/README.md promises for `ccc_scale`, so no
generated number collides with one the labelled cases rely on.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import orjson

FIRST_SERIAL = 500_000
SERIALS_PER_CODE = 1_000_000 - FIRST_SERIAL
PRODUCT_CODES = ("0914", "0915", "0703", "0702", "0707", "1606", "2202", "0807", "0901")
CITIES = ("深圳市南山区", "东莞市长安镇", "宁波市北仑区", "佛山市顺德区", "苏州市吴江区")


def record(index: int, rng: random.Random) -> dict[str, object]:
    """Returns the index-th synthetic certificate: unique number, plausible fields."""
    code = PRODUCT_CODES[index // SERIALS_PER_CODE % len(PRODUCT_CODES)]
    serial = FIRST_SERIAL + index % SERIALS_PER_CODE
    year = 2021 + index % 5
    company = f"{CITIES[index % len(CITIES)][:3]}合成{index % 9973:04d}电子有限公司"
    address = f"{CITIES[index % len(CITIES)]}工业大道{index % 997 + 1}号"
    party = {"name": company, "address": address}
    return {
        "certificate_no": f"{year}01{code}{serial:06d}",
        "kind": "certificate",
        "status": rng.choice(("valid", "valid", "valid", "suspended", "expired")),
        "product_code": code,
        "product_name": "合成产品",
        "models": [f"SX-{index % 100000:05d}", f"SX-{index % 100000:05d}S"],
        "standards": ["GB 4943.1-2022", "GB 31241-2022"],
        "holder": party,
        "manufacturer": party,
        "factory": party,
        "issued_on": f"{year}-0{index % 9 + 1}-1{index % 9}",
        "expires_on": f"{year + 5}-0{index % 9 + 1}-1{index % 9}",
    }


def main() -> None:
    """Writes N records to the output file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    limit = SERIALS_PER_CODE * len(PRODUCT_CODES)
    assert args.count <= limit, f"at most {limit} unique numbers"
    rng = random.Random(11)
    with args.out.open("wb") as out:
        for index in range(args.count):
            out.write(orjson.dumps(record(index, rng)) + b"\n")


if __name__ == "__main__":
    main()
