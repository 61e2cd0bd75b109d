module github.com/accordhq/accord

go 1.24

require (
	github.com/google/go-cmp v0.7.0 // indirect
	github.com/looplab/fsm v1.0.3 // indirect
	github.com/shopspring/decimal v1.4.0 // indirect
	pgregory.net/rapid v1.3.0 // indirect
)
