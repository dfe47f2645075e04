#!/usr/bin/python3
"""Compares two GGUF files tensor by tensor (type and raw bytes), using llama.cpp's gguf-py reader.

usage: PYTHONPATH=<llama.cpp>/gguf-py python3 cmp_gguf.py A.gguf B.gguf   (exit 1 if any tensor differs)
"""
import sys
from gguf import GGUFReader

a, b = GGUFReader(sys.argv[1]), GGUFReader(sys.argv[2])
tb = {t.name: t for t in b.tensors}
same = diff = 0
for t in a.tensors:
    u = tb.get(t.name)
    if u is None:
        print("missing in B:", t.name); diff += 1
    elif t.tensor_type != u.tensor_type:
        print("type differs:", t.name, t.tensor_type.name, u.tensor_type.name); diff += 1
    elif t.data.tobytes() == u.data.tobytes():
        same += 1
    else:
        print("bytes differ:", t.name, t.tensor_type.name); diff += 1
print(f"{sys.argv[1]} vs {sys.argv[2]}: {same} identical tensors, {diff} different")
sys.exit(1 if diff else 0)
