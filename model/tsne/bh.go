package tsne

// Barnes-Hut approximation of the repulsive forces (van der Maaten,
// 2014): a quadtree over the map; a cell whose width is less than theta
// times its distance to the point counts as one body at its centre of
// mass.

type qnode struct {
	cx, cy, hw float64 // cell centre and half width
	mx, my     float64 // centre of mass
	n          int
	child      [4]int32 // -1: none
	pts        []int32  // the points of a leaf
}

type quadtree struct {
	nodes []qnode
	idx   []int32
}

const maxDepth = 40

// rebuild makes t the quadtree of y, reusing t's memory.
func (t *quadtree) rebuild(y [][2]float64) {
	lox, loy, hix, hiy := y[0][0], y[0][1], y[0][0], y[0][1]
	for _, p := range y {
		lox, hix = min(lox, p[0]), max(hix, p[0])
		loy, hiy = min(loy, p[1]), max(hiy, p[1])
	}
	if cap(t.idx) < len(y) {
		t.idx = make([]int32, len(y))
		t.nodes = make([]qnode, 0, 2*len(y))
	}
	t.idx = t.idx[:len(y)]
	for i := range t.idx {
		t.idx[i] = int32(i)
	}
	t.nodes = t.nodes[:0]
	hw := max(hix-lox, hiy-loy)/2 + 1e-9
	t.build(y, t.idx, (lox+hix)/2, (loy+hiy)/2, hw, 0)
}

// build adds the cell of points idx and returns its index. It reorders
// idx in place: a leaf's points are a subslice of it.
func (t *quadtree) build(y [][2]float64, idx []int32, cx, cy, hw float64, depth int) int32 {
	k := int32(len(t.nodes))
	t.nodes = append(t.nodes, qnode{cx: cx, cy: cy, hw: hw, n: len(idx), child: [4]int32{-1, -1, -1, -1}})
	var mx, my float64
	for _, i := range idx {
		mx += y[i][0]
		my += y[i][1]
	}
	t.nodes[k].mx, t.nodes[k].my = mx/float64(len(idx)), my/float64(len(idx))
	if len(idx) == 1 || depth >= maxDepth {
		t.nodes[k].pts = idx
		return k
	}
	// Quadrants 0: x<cx,y<cy; 1: x>=cx,y<cy; 2: x<cx,y>=cy; 3: x>=cx,y>=cy,
	// by two in-place partitions: on y, then each half on x.
	split := func(s []int32, right func(i int32) bool) int {
		m := 0
		for j, i := range s {
			if !right(i) {
				s[m], s[j] = s[j], s[m]
				m++
			}
		}
		return m
	}
	my2 := split(idx, func(i int32) bool { return y[i][1] >= cy })
	lo, hi := idx[:my2], idx[my2:]
	mlo := split(lo, func(i int32) bool { return y[i][0] >= cx })
	mhi := split(hi, func(i int32) bool { return y[i][0] >= cx })
	quads := [4][]int32{lo[:mlo], lo[mlo:], hi[:mhi], hi[mhi:]}
	h := hw / 2
	for q, pts := range quads {
		if len(pts) == 0 {
			continue
		}
		ox, oy := -h, -h
		if q&1 != 0 {
			ox = h
		}
		if q&2 != 0 {
			oy = h
		}
		c := t.build(y, pts, cx+ox, cy+oy, h, depth+1)
		t.nodes[k].child[q] = c
	}
	return k
}

// repulse returns, for point i at yi, the sum over the other points j of
// w_ij = 1/(1+|yi-yj|²) and of w_ij² (yi-yj), cells narrower than theta
// times their distance summarised by their centre of mass.
func (t *quadtree) repulse(y [][2]float64, i int, theta2 float64) (z, rx, ry float64) {
	yi := y[i]
	var stack [4*maxDepth + 8]int32
	sp := 0
	stack[sp] = 0
	sp++
	for sp > 0 {
		sp--
		nd := &t.nodes[stack[sp]]
		if nd.pts != nil {
			for _, j := range nd.pts {
				if int(j) == i {
					continue
				}
				dx, dy := yi[0]-y[j][0], yi[1]-y[j][1]
				w := 1 / (1 + dx*dx + dy*dy)
				z += w
				rx += w * w * dx
				ry += w * w * dy
			}
			continue
		}
		dx, dy := yi[0]-nd.mx, yi[1]-nd.my
		d2 := dx*dx + dy*dy
		if w := 2 * nd.hw; w*w < theta2*d2 {
			q := 1 / (1 + d2)
			n := float64(nd.n)
			z += n * q
			rx += n * q * q * dx
			ry += n * q * q * dy
			continue
		}
		for _, c := range nd.child {
			if c >= 0 {
				stack[sp] = c
				sp++
			}
		}
	}
	return z, rx, ry
}
