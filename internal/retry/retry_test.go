package retry

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestAfter(t *testing.T) {
	future := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	tests := []struct {
		h        string
		min, max time.Duration
	}{
		{"", 5 * time.Second, 5 * time.Second},
		{"3", 3 * time.Second, 3 * time.Second},
		{" 7 ", 7 * time.Second, 7 * time.Second},
		{"0", 0, 0},
		{"-1", 5 * time.Second, 5 * time.Second},
		{"soon", 5 * time.Second, 5 * time.Second},
		{"Mon, 02 Jan 2006 15:04:05 GMT", 0, 0},
		{future, 80 * time.Second, 90 * time.Second},
	}
	for _, tc := range tests {
		if got := After(tc.h, 5*time.Second); got < tc.min || got > tc.max {
			t.Errorf("After(%q) = %v, want in [%v, %v]", tc.h, got, tc.min, tc.max)
		}
	}
}

func TestSleep(t *testing.T) {
	if err := Sleep(context.Background(), time.Millisecond); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if time.Since(start) > time.Minute {
		t.Error("a cancelled sleep waited")
	}
	if err := Sleep(ctx, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("zero sleep on a done context: err = %v", err)
	}
}
