"""perfkg extraction: budget documents (text) to performance-target records.

Pipeline: ``reader`` (bytes → text) → ``segment`` (text → table blocks) → ``layouts``
(one parser per layout family, chosen by detection) → ``checks`` (checked records).
"""
