"""The bad-input regression corpus: hundreds of generated bad or borderline inputs, each with its outcome.

See :mod:`tests.corpus.test_corpus` for how it runs and the table of cases pending a fix.
"""
