"""Gold labels from several annotators, agreement figures, and leak-free splits.

``ballots``: one annotator's judgement of one article (their latest annotation);
``rules``: gold stance (adjudicated or strict majority) and gold spans (overlap majority);
``agreement``: Krippendorff's alpha and pairwise span F1; ``splits``: near-duplicate clusters
(MinHash LSH) assigned to train/validation/test by a stable hash.
"""
