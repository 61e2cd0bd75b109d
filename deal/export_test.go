package deal

// ReadImportedGeneral is ReadImported through its general loop alone,
// without trying the loop for plain histories first: the tests check that
// the two loops read every history alike.
func (p *Process) ReadImportedGeneral(d *Deal, r *Reading) error { return p.read(d, r, false) }

// ReadsPlain reports whether ReadImported reads d's history through its
// loop for plain histories.
func (p *Process) ReadsPlain(d *Deal) bool {
	var r Reading
	r.positions(len(p.stages) + 2)
	return p.readPlain(d.History, &r)
}
