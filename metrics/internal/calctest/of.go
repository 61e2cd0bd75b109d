package calctest

import "pgregory.net/rapid"

// Of returns the Calc named name of the accumulators that build makes: fed
// values drawn by gen through add (such as the method expression
// (*metrics.Pipeline).Add), merged with their own Merge, read with their
// own Result. An error from build fails the test.
func Of[T any, A interface {
	Merge(A) error
	Result() R
}, R any](name string, gen *rapid.Generator[T], build func(t *rapid.T) (A, error), add func(A, T) error) Calc[T] {
	return Calc[T]{
		Name: name,
		Gen:  gen,
		Build: func(t *rapid.T) any {
			a, err := build(t)
			if err != nil {
				t.Fatal(err)
			}
			return a
		},
		Add:    func(a any, x T) error { return add(a.(A), x) },
		Merge:  func(a, o any) error { return a.(A).Merge(o.(A)) },
		Result: func(a any) any { return a.(A).Result() },
	}
}
