package metrics

import "encoding/json"

// PartialJSON returns p's state as a JSON envelope would hold it, the
// histograms gap-encoded as in the binary partial: the benchmarks compare
// its size and speed with MarshalBinary's.
func PartialJSON(p *Pipeline) ([]byte, error) {
	pairs := func(h *hist) [][2]int64 {
		var out [][2]int64
		prev := int64(-1)
		h.each(func(m int64, c uint64) {
			out = append(out, [2]int64{m - prev, int64(c)})
			prev = m
		})
		return out
	}
	times := make([][][2]int64, len(p.time))
	for i := range p.time {
		times[i] = pairs(&p.time[i])
	}
	groups := map[string][3]int64{}
	for i, k := range p.groups.keys {
		t := p.groups.tallies[i]
		groups[k] = [3]int64{t.deals, t.won, t.lost}
	}
	settings := map[string]string{}
	for _, s := range p.settings() {
		settings[s.Name] = s.Value
	}
	return json.Marshal(map[string]any{
		"v": 1, "kind": "pipeline", "settings": settings,
		"state": map[string]any{
			"deals": p.deals, "rejected": p.rejected, "current": p.current, "entered": p.entered, "onward": p.onward,
			"time": times, "won": p.won, "lost": p.lost, "groups": groups,
			"cycle_won": pairs(&p.cycleWon), "cycle_lost": pairs(&p.cycleLst), "losses": p.losses, "reverted": p.reverted,
		},
	})
}
