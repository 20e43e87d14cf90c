#!/usr/bin/python3
"""The dispatch overhead of ipyparallel's load-balanced view, measured as greylab bench measures Greylab's:
per task, (client received - client submitted) - (engine completed - engine started), from ipyparallel's own task
metadata; the task reads one small image, converts it with skimage and writes a grey PNG (the peer's
convert_and_save). Two ways, as bench: every engine busy (one task per engine in flight, the next sent as one
comes back) and one task at a time. Each way runs PASSES passes over the folder and reports the median of the last
three passes' medians.

Usage: ipyparallel-overhead.py PEER_DIR SMALL_IMAGE_DIR SCRATCH_DIR [PASSES]
PEER_DIR is ../shared/peers/ipyparallel (its cluster.py and tasks.py); needs Debian's python3-ipyparallel and
python3-skimage. Prints one line per pass and a summary (medians in milliseconds)."""
import concurrent.futures
import os
import statistics
import sys

peer, src, scratch = sys.argv[1:4]
passes = int(sys.argv[4]) if len(sys.argv) > 4 else 3
os.environ['IPP_HOME'] = scratch
os.makedirs(scratch, exist_ok=True)
sys.path.insert(0, peer)
import cluster  # noqa: E402

exec(open(os.path.join(peer, 'tasks.py')).read())  # defines convert_and_save in __main__, as the engines need
images = sorted(os.path.join(src, f) for f in os.listdir(src) if f.lower().endswith('.png'))
out = os.path.join(scratch, 'out')


def overhead_ms(metadata):
    values = []
    for md in metadata:
        total = (md['received'] - md['submitted']).total_seconds()
        compute = (md['completed'] - md['started']).total_seconds()
        values.append((total - compute) * 1000)
    return statistics.median(values)


rc, _ = cluster.start(2)
try:
    lb = rc.load_balanced_view()
    outs = [os.path.join(out, os.path.basename(p)) for p in images]
    loaded = []
    for i in range(passes):
        # as Greylab's probe: one task per engine, the next sent when one comes back (a map would queue them all
        # in the scheduler and count that wait)
        metadata, pending, work = [], set(), list(zip(images, outs))
        while work or pending:
            while work and len(pending) < len(rc.ids):
                p, o = work.pop(0)
                pending.add(lb.apply_async(convert_and_save, p, o))
            done, pending = concurrent.futures.wait(pending, return_when=concurrent.futures.FIRST_COMPLETED)
            for ar in done:
                ar.get()
                metadata.append(ar.metadata)
        loaded.append(overhead_ms(metadata))
        print(f'loaded pass {i + 1}: {loaded[-1]:.2f} ms', flush=True)
    single = []
    for i in range(passes):
        metadata = []
        for p, o in zip(images, outs):
            ar = lb.apply_async(convert_and_save, p, o)
            ar.get()
            metadata.append(ar.metadata)
        single.append(overhead_ms(metadata))
        print(f'one at a time, pass {i + 1}: {single[-1]:.2f} ms', flush=True)
    print(f'ipyparallel dispatch overhead: {statistics.median(single[-3:]):.2f} ms per task one at a time; '
          f'{statistics.median(loaded[-3:]):.2f} ms with every engine busy (first pass {loaded[0]:.2f} ms); '
          f'{len(images)} images')
finally:
    cluster.stop(rc)
