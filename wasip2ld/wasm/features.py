"""The `target_features` custom section (which proposals the linked code uses) and what to do when an engine
rejects a proposal that clang can emit but wasmtime and `wasm-tools validate` do not accept by default."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .module import CoreModule

# Proposals wasmtime and `wasm-tools validate` accept without configuration: code that uses only these needs
# no further check after linking.
ENABLED_BY_DEFAULT = frozenset({
    "bulk-memory", "bulk-memory-opt", "call-indirect-overlong", "extended-const", "multimemory", "multivalue",
    "mutable-globals", "nontrapping-fptoint", "reference-types", "relaxed-simd", "sign-ext", "simd128",
    "tail-call",
})

LEGACY_EXCEPTIONS_HINT = (
    "the code uses the legacy exception instructions (`try`), which wasmtime does not run: compile and link "
    "with `-mllvm -wasm-use-legacy-eh=false` (needed with `-mllvm -wasm-enable-sjlj` and `-fwasm-exceptions`)"
)


def used_features(module: CoreModule) -> tuple[str, ...]:
    """The features the `target_features` section marks as used (``+``), in section order."""
    from .reader import Reader

    used: list[str] = []
    for section in module.custom_sections("target_features"):
        if section.name != "target_features":
            continue
        reader = Reader(section.data, base=section.data_offset, path=module.path, region="target_features")
        for _ in range(reader.read_count(1024, "feature")):
            prefix = reader.read_u8("feature prefix")
            name = reader.read_name("feature name")
            if prefix == ord("+"):
                used.append(name)
    return tuple(used)


def engine_hint(message: str) -> str | None:
    """What to do about an engine's or validator's rejection, when wasip2ld knows the cause."""
    if "legacy_exceptions" in message:
        return LEGACY_EXCEPTIONS_HINT
    return None
