package demo

import "github.com/accordhq/accord/examples/server/app"

// People are the demo company's people, one for each role: -demo
// prints a token for each, and the sign-in page offers them. The rep owns
// the demo deals; the client acts for the account Acme.
func People() []app.Principal {
	return []app.Principal{
		{ID: "demo-rep", Name: "Asha Rao", Role: "sales_rep"},
		{ID: "demo-manager", Name: "Ben Okafor", Role: "sales_manager"},
		{ID: "demo-lead", Name: "Chen Wei", Role: "implementation_lead"},
		{ID: "demo-client", Name: "Dana Ruiz", Role: "client", Account: "acme"},
		{ID: "demo-finance", Name: "Femi Adeyemi", Role: "finance"},
		{ID: "demo-admin", Name: "Grace Admin", Role: "admin"},
	}
}
