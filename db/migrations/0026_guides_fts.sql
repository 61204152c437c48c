-- Custom SQL migration file, put your code below! ---- Full-text search over the guides: one row per section (heading and text) of each guide's current
-- revision, ranked with bm25. Written by app/models/guides/ in the same batch as the revision.
CREATE VIRTUAL TABLE `guides_fts` USING fts5(guide_id UNINDEXED, anchor UNINDEXED, heading, body, tokenize = 'porter unicode61 remove_diacritics 2');
