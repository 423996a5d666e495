"""The resource limits of one run, with the defaults and why they are what they are.

Standard library only (the zygote imports it). The service reads them from the
environment in ``settings.py``.

| limit | default | anchor and reason |
|---|---|---|
| CPU | 3 s | Piston 3 s, Judge0 5 s. Tutoring exercises finish in milliseconds; a busy loop past 3 s is a bug the learner must see quickly. |
| wall | 5 s | Piston 3 s, Judge0 10 s. Above the CPU limit so ``time.sleep`` demos work, short enough for a synchronous answer. |
| address space | 512 MiB | Judge0 128 MB is too tight for a forked CPython with threads (glibc reserves arenas and 8 MiB stacks). Stops a 2 GiB allocation at once; RSS is the pod's limit. |
| file size | 1 MiB | Judge0 and nsjail: a learner writes small files. |
| open files | 64 | Piston 64, nsjail 32. |
| output | 64 KiB per stream | Piston's 1024 characters is too small for learners' prints; 64 KiB keeps an event far below Kafka's 1 MB. |
| code | 64 KiB (UTF-8) | the contract's MAX_CODE_BYTES. |
| processes | none besides itself | seccomp denies fork; RLIMIT_NPROC is not used because it counts the whole uid, the service included (notes/sandbox.md §2.3). |
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

KIB = 1024
MIB = 1024 * KIB
DEFAULT_CODE_BYTES = 64 * KIB  # equals learnflow.events._contracts.MAX_CODE_BYTES; not imported to keep pydantic out


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int = 3
    wall_seconds: float = 5.0
    memory_bytes: int = 512 * MIB
    file_size_bytes: int = 1 * MIB
    open_files: int = 64
    output_bytes: int = 64 * KIB
    code_bytes: int = DEFAULT_CODE_BYTES

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if value <= 0:
                raise ValueError(f"limit {name} must be positive, got {value!r}")

    def to_wire(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> Limits:
        return cls(**data)
