package learn_test

import (
	"testing"

	"github.com/waymark-app/waymark/internal/learn"
)

func TestForeignDigit(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want rune
	}{
		{"Call 08000 121 700, £3.50, 24 hours", 0},
		{"اتصل بالرقم 999", 0},
		{"مفتوح ٢٤ ساعة", '٢'},
		{"۲۴ ساعته", '۲'},
		{"፫ ሰዓት", '፫'},
		{"½ price, ² squared", 0}, // not digits
	} {
		got, found := learn.ForeignDigit(tt.s)
		if found != (tt.want != 0) || got != tt.want {
			t.Errorf("%q: %q %v, want %q", tt.s, got, found, tt.want)
		}
	}
}
