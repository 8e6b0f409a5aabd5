-- Which version of the scoring engine made each scoring run (perfcore.scoring.ENGINE_VERSION).
-- Runs stored before this column existed keep NULL and count as engine 0, i.e. stale: the
-- engine has since changed how some scores are computed (a score capped at its weight,
-- negated and delay words), so their computed scores may differ from what it computes now.
ALTER TABLE scores ADD COLUMN engine INTEGER;
