module github.com/accordhq/accord

go 1.24.0

require (
	github.com/google/go-cmp v0.7.0
	github.com/looplab/fsm v1.0.3
	github.com/shopspring/decimal v1.4.0
	pgregory.net/rapid v1.3.0
)
