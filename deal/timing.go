package deal

import "time"

// TimeInStage returns how long d has been in its current stage at now: now
// minus StageEnteredAt, or 0 for a deal never opened or a now before it.
func (d *Deal) TimeInStage(now time.Time) time.Duration {
	if d == nil || d.StageEnteredAt.IsZero() || now.Before(d.StageEnteredAt) {
		return 0
	}
	return now.Sub(d.StageEnteredAt)
}

// TimeByStage returns the time d spent in each stage it has entered, from
// its history, with re-entries summed; the current stage counts up to now.
// For a now no earlier than the last event, the durations add up to now
// minus the first event's time.
func (d *Deal) TimeByStage(now time.Time) map[StageID]time.Duration {
	if d == nil {
		return nil
	}
	out := make(map[StageID]time.Duration, len(d.History))
	for i, ev := range d.History {
		if ev.Kind == EventContract {
			continue // not a move: it begins no stay
		}
		end := now
		for _, next := range d.History[i+1:] {
			if next.Kind != EventContract {
				end = next.At
				break
			}
		}
		if end.After(ev.At) {
			out[ev.To] += end.Sub(ev.At)
		} else if _, ok := out[ev.To]; !ok {
			out[ev.To] = 0
		}
	}
	return out
}
