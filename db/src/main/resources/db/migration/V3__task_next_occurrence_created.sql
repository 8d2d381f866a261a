-- A recurring task spawns its next occurrence at most once: completing it, reopening it and completing it
-- again must not create a second next occurrence. The flag is set in the transaction that creates it.
ALTER TABLE tasks ADD COLUMN next_occurrence_created boolean NOT NULL DEFAULT false;

-- Recurring tasks completed before this migration already spawned theirs (or their rule had run out).
UPDATE tasks SET next_occurrence_created = true
 WHERE completed AND recurrence_rule IS NOT NULL AND due_date IS NOT NULL;
