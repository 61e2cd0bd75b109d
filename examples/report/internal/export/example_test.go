package export_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/examples/report/internal/export"
)

// An export with its own headers, an accounts file joined for the sector,
// and a bad row reported with its line.
func ExampleSnapshot() {
	opps, _, _ := export.ReadCSV("opps.csv", strings.NewReader(
		"Opportunity ID,Deal Stage,Engaged On,Closed On,Amount,Account\n"+
			"OPP-1,Closed Won,1/6/2025,2/20/2025,\"$12,000.00\",Acme\n"+
			"OPP-2,Closed Lost,1/9/2025,1/2/2025,\"$3,500.00\",Acme\n"+
			"OPP-3,Negotiation,2/1/2025,,,Beta\n"))
	accounts, _, _ := export.ReadCSV("accounts.csv", strings.NewReader("Account,Sector\nAcme,software\nBeta,retail\n"))
	if err := opps.Join(accounts, "Account", "Account"); err != nil {
		fmt.Println(err)
		return
	}
	m, _ := export.ParseMap("id=Opportunity ID,stage=Deal Stage,opened=Engaged On,closed=Closed On,value=Amount,segment=Sector")
	res, err := export.Snapshot(opps, export.Options{
		Map: m, Won: []string{"Closed Won"}, Lost: []string{"Closed Lost"},
		Currency: "USD", Location: time.UTC,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range res.Deals {
		var full deal.Deal
		d.Fill(&full)
		fmt.Printf("%s %s %s: %d events, value %v\n", full.ID, full.Segment, full.Stage, len(full.History), full.Value)
	}
	for _, p := range res.Problems {
		fmt.Println(p)
	}
	// Output:
	// OPP-1 software live: 2 events, value 12000.00 USD
	// OPP-3 retail open: 1 events, value unset
	// line 3: closed (column "Closed On"): 2025-01-02 is before the opened date
}
