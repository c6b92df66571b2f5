"""Shared by the chart scripts: reading summary.json, colours, file output.

summary.json is input like any other: a cell that does not have the fields the charts read,
with the types they need, is left out with a one-line reason on stderr, never a traceback.
"""
import argparse
import json
import math
import os
import re
import signal
import sys

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402

# One colour per backend in every chart.
BACKEND_COLOURS = {
    "sync": "#7f7f7f",
    "threads": "#ff7f0e",
    "async": "#1f77b4",
    "async-mt": "#2ca02c",
    "pool": "#9467bd",
    "tbb": "#8c564b",
    "fibers": "#e377c2",
    "async-sharded": "#17becf",
}
EXTRA = ["#bcbd22", "#d62728", "#aec7e8", "#ffbb78"]


def colour(backend):
    if backend not in BACKEND_COLOURS:
        BACKEND_COLOURS[backend] = EXTRA[len(BACKEND_COLOURS) % len(EXTRA)]
    return BACKEND_COLOURS[backend]


SCRIPT = os.path.basename(sys.argv[0])
PROBLEMS = []  # why cells were left out
STRINGS = ("group", "workload", "backend", "label", "status", "first_error")
NUMBERS = ("median_wall_s", "ci_low_s", "ci_high_s", "ideal_wall_s", "user_s", "sys_s", "cpu_s",
           "p50_s", "p90_s", "p99_s", "peak_rss_bytes")


def fail(message):
    """One line on stderr (the report shows the last one) and exit 1."""
    print(f"{SCRIPT}: {message}", file=sys.stderr)
    sys.exit(1)


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def cell_problem(c):
    """What keeps a summary.json cell out of the charts, or None."""
    if not isinstance(c, dict):
        return "not an object"
    for k in STRINGS:
        if not isinstance(c.get(k), str):
            return f'"{k}" is not a string'
    params = c.get("params")
    if not isinstance(params, dict):
        return '"params" is not an object'
    for k, v in params.items():
        if not (isinstance(v, str) or is_number(v)):
            return f'parameter {k} is not a number or a string'
    for k in NUMBERS:
        if c.get(k) is not None and not is_number(c.get(k)):
            return f'"{k}" is not a finite number or null'
    med, low, high = c.get("median_wall_s"), c.get("ci_low_s"), c.get("ci_high_s")
    if med is not None and (low is None or high is None or not low <= med <= high):
        return f"its 95% CI [{low}, {high}] does not contain its median {med}"
    if c.get("p50_s") is not None and (c.get("p90_s") is None or c.get("p99_s") is None):
        return "p50_s without p90_s and p99_s"
    return None


def load(path):
    """The cells of summary.json that the charts can draw; the others are reported."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"cannot read {path}: {e}")
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        fail(f"{path} has no list of cells")
    cells = []
    for n, c in enumerate(data["cells"]):
        why = cell_problem(c)
        if why is None:
            cells.append(c)
            continue
        name = f"{c.get('workload')} on {c.get('label')}" if isinstance(c, dict) else ""
        PROBLEMS.append(f"summary.json cell {n} ({name}): {why}; left out of the charts")
        print(f"{SCRIPT}: {PROBLEMS[-1]}", file=sys.stderr)
    return cells


def text(s):
    """A string shown as written: matplotlib would read $...$ as mathematics."""
    return str(s).replace("$", r"\$")


def label(cell):
    """The backend, with the parameters it was given away from their defaults."""
    return text(cell["label"])


def params_text(params):
    return " ".join(f"{k}={v}" for k, v in params.items())


def file_stem(stem):
    """A chart file name from workload and backend names: no folders, no leading '-' or '.'."""
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", stem)
    return "_" + stem if stem[:1] in ("-", ".", "") else stem


def groups(cells):
    """Cells by workload and workload parameters, in order."""
    out = {}
    for c in cells:
        out.setdefault(c["group"], []).append(c)
    return list(out.values())


def save(fig, out_dir, stem, index, entry):
    """Writes stem.png and stem.svg and records the chart in the index list."""
    os.makedirs(out_dir, exist_ok=True)
    stem = file_stem(stem)
    fig.tight_layout()
    for ext in ("png", "svg"):
        fig.savefig(os.path.join(out_dir, f"{stem}.{ext}"), dpi=110)
    plt.close(fig)
    entry["file"] = f"{stem}.png"
    index.append(entry)


def write_index(out_dir, kind, index):
    """Atomically (a hidden temporary, then rename): a killed script leaves no half index."""
    os.makedirs(out_dir, exist_ok=True)
    tmp = os.path.join(out_dir, f".index-{kind}.json.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(index, f, indent=1)
    os.replace(tmp, os.path.join(out_dir, f"index-{kind}.json"))


def finish():
    """Exit 1 with the reason when cells were left out, so the report says so."""
    if PROBLEMS:
        more = f" (and {len(PROBLEMS) - 1} more)" if len(PROBLEMS) > 1 else ""
        fail(PROBLEMS[0] + more)


def short(s, n=48):
    s = str(s)
    return text(s if len(s) <= n else s[: n - 1] + "…")


def log_if_wide(ax, values, axis="y", span=20):
    """A log scale when the values span `span` times or more."""
    values = [v for v in values if v and v > 0]
    if values and max(values) / min(values) >= span:
        (ax.set_yscale if axis == "y" else ax.set_xscale)("log")


def arguments(description):
    # Ctrl-C ends a script quietly (no KeyboardInterrupt traceback); concbench says why.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("summary", help="summary.json written by concbench")
    ap.add_argument("out", help="folder for the charts")
    return ap.parse_args()


def per_group_main(description, kind, draw, keep=lambda cell: True):
    """One chart per workload and parameter set: draw(ax, cells) draws the kept cells, one
    x position each, and returns what the title calls the chart ("" for nothing)."""
    args = arguments(description)
    index = []
    for n, cells in enumerate(groups(load(args.summary))):
        cells = [c for c in cells if keep(c)]
        if not cells:
            continue
        fig, ax = plt.subplots(figsize=(7, 4))
        what = draw(ax, cells)
        ax.set_xticks(range(len(cells)), [label(c) for c in cells], rotation=20, ha="right")
        title = f"{cells[0]['workload']}{' ' + what if what else ''}: {params_text(cells[0]['params'])}"
        ax.set_title(short(title, 80), fontsize=10)
        save(fig, args.out, f"{kind}-{cells[0]['workload']}-{n}", index,
             {"kind": kind, "group": cells[0]["group"], "workload": cells[0]["workload"],
              "title": title})
    write_index(args.out, kind, index)
    finish()


def run(main):
    """Runs a script's main: whatever summary.json holds, one line on stderr, no traceback."""
    try:
        main()
    except Exception as e:  # noqa: BLE001 - the report shows this one line
        fail(f"could not draw: {type(e).__name__}: {e}")
