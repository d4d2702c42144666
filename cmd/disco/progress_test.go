package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestProgressNotTerminal(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, "epoch 1/3", 1000, "seq")
	for range 1000 {
		p.Add(1)
	}
	p.Note("train MAE 0.7")
	p.Done()
	p.Done()
	out := b.String()
	if strings.Contains(out, "\r") || strings.Count(out, "\n") != 1 {
		t.Errorf("not a terminal: want one plain line, got %q", out)
	}
	if !strings.Contains(out, "100% 1000/1000") || !strings.Contains(out, "train MAE 0.7") {
		t.Errorf("final line lacks the count or the note: %q", out)
	}
}
