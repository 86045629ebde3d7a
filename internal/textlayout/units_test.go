package textlayout

import (
	"slices"
	"testing"
)

// TestFindUnits finds phone numbers, email and web addresses, and
// nothing else.
func TestFindUnits(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Call 08000 121 700 now.", []string{"08000 121 700"}},
		{"Call 999, or 111.", nil}, // single numbers read left to right anyway
		{"(0800 808 3733)", []string{"0800 808 3733"}},
		{"+44 20 7946 0000", []string{"+44 20 7946 0000"}},
		{"18001 111", []string{"18001 111"}},
		{"Go to GOV.UK or www.nhs.uk/111.", []string{"GOV.UK", "www.nhs.uk/111"}},
		{"(www.gov.uk).", []string{"www.gov.uk"}},
		{"https://www.gov.uk/report?x=1 then", []string{"https://www.gov.uk/report?x=1"}},
		{"Send it to jobs@greenleaf.example.", []string{"jobs@greenleaf.example"}},
		{"111.nhs.uk", []string{"111.nhs.uk"}},
		{"£3.50 2 times", nil},
		{"Step 1 of 8, 4 May 1990", nil},
		{"e.g. this, U.K. English, a.b", nil},
		{"A1 2B", nil},
		{"اتصل بالرقم 08000 121 700 الآن", []string{"08000 121 700"}},
		{"١٢٣ ٤٥٦", nil}, // only the digits people dial make a phone number
	}
	for _, tt := range tests {
		runes := []rune(tt.text)
		var got []string
		for _, u := range findUnits(runes) {
			got = append(got, string(runes[u[0]:u[1]]))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: units %q, want %q", tt.text, got, tt.want)
		}
	}
}
