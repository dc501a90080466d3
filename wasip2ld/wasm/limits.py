"""Named maxima for counts and sizes in a core module.

They bound what the reader will allocate for a hostile or corrupt file; a real module stays far below them.
The values follow the embedder limits that engines share (JS API "Implementation-defined limits").
"""

from __future__ import annotations

MAX_STRING_SIZE = 100_000  # bytes in one name
MAX_SECTIONS = 100_000  # custom sections included: a million tiny ones would cost seconds and gigabytes
MAX_TYPES = 1_000_000  # entries in the type section, counting every member of every rec group
MAX_REC_GROUP_SIZE = 1_000_000
MAX_SUPERTYPES = 1
MAX_FUNCTION_PARAMS = 1_000
MAX_FUNCTION_RESULTS = 1_000
MAX_STRUCT_FIELDS = 10_000
MAX_IMPORTS = 1_000_000
MAX_EXPORTS = 1_000_000
MAX_FUNCTIONS = 1_000_000
MAX_TABLES = 1_000_000
MAX_MEMORIES = 1_000_000
MAX_GLOBALS = 1_000_000
MAX_TAGS = 1_000_000
MAX_CONST_EXPR_SIZE = 1_000_000  # bytes in one global or table initialiser
