package dealtest

import "github.com/accordhq/accord/deal"

// checkHistory reports every way d's history disagrees with m's process or
// with d's own stage, version and loss: the rules of [deal.Process.Read],
// which owns them.
func (m *model) checkHistory(d *deal.Deal) error {
	var r deal.Reading
	return m.p.Read(d, &r)
}
