package plots_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/plots"
)

func ExampleShorten() {
	fmt.Println(plots.Shorten("Phoenix - If I Ever Feel Better (Buffalo Bunny Remix)", 30))
	fmt.Println(plots.Shorten("Daft Punk - One More Time", 30))
	// Output:
	// Phoenix - If I Ever Feel…
	// Daft Punk - One More Time
}

func ExampleParseCamelot() {
	for _, k := range []string{"8A", "12b", "13A"} {
		num, letter, err := plots.ParseCamelot(k)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s: wheel %d, letter %c\n", k, num, letter)
	}
	// Output:
	// 8A: wheel 8, letter A
	// 12b: wheel 12, letter B
	// plots: bad Camelot key "13A"
}

func ExampleFlow() {
	pred := features.Vector{-0.2, 1.1, 0.8, 0.4, -0.1, 0.6, -0.3, 0.7}
	steps := []plots.FlowStep{
		{Label: "Daft Punk - One More Time", Seed: true, Actual: features.Vector{-0.8, 0.9, 0.7, 0.6, -0.3, 0.5, -0.2, 0.6}},
		{Label: "Cassius - 1999", Actual: features.Vector{-0.5, 1.2, 0.9, 0.8, 0.1, 0.7, -0.4, 0.9}, Predicted: &pred},
	}
	fig, err := plots.Flow(steps, "Two songs")
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "plots-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	// Zero sizes would take the figure's own (fig.Width, fig.Height),
	// which grows with the tracklist.
	if err := plots.Save(fig, plots.Pixels(800), plots.Pixels(500), filepath.Join(dir, "flow.png")); err != nil {
		log.Fatal(err)
	}
	fmt.Println("saved")
	// Output: saved
}
