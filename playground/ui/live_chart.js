// A Plotly chart that updates in place: the browser half of playground/ui/live_chart.py.
//
// Streamlit calls the default export every time the component's data changes, with the
// same parentElement: the chart div made on the first call stays, and each new figure
// goes through Plotly.react, which redraws only what changed. No blank frame between
// two figures, and a student's zoom survives (layout.uirevision).
//
// data = the UTF-8 bytes of the JSON text {figure: {data, layout}, config: Plotly config,
// plotly: URL of plotly.js, bundle: "default" or "full", alt: the chart's text
// alternative}. plotly.js is loaded once per page, as a classic script (window.Plotly).
// "default" is the small cartesian bundle where the server has it (every trace type
// but WebGL): the same promise as playground/ui/click_plane.js, so a page loads it once.
// "full" (scattergl) loads the whole plotly.js, after the default one if that is loading
// (both set window.Plotly when they run).
//
// The chart div has role="img" and aria-label = alt: the chart's text alternative, which
// the server computes from what the chart shows now.
//
// While a page plays, payload.frame is the serial of the frame the figure belongs to and
// payload.group the keys of all the charts of that frame. Once every chart of the group
// has drawn that frame (or failed to), the chart that completes it reports it once with
// setStateValue("drawn", frame): the server trains the next frame only then, and Pause
// goes back to the frame drawn last (playground/ui/session.py, "Pause where the student saw it").
//
// Performance marks, read by benchmarks/bench_browser.py: "nn-chart-first-call" (the
// first chart arrived), "nn-plotly-loaded" (plotly.js ran), "nn-chart-first-draw".

const NARROW_PX = 480; // below this width (a phone) every font of a chart shrinks ...
const MIN_FONT_SCALE = 0.78; // ... at most to 78 %: 18 px ticks become 14 px

function mark(name) {
  if (!window.__nnMarks) {
    window.__nnMarks = {};
  }
  if (!(name in window.__nnMarks)) {
    window.__nnMarks[name] = performance.now();
    try {
      performance.mark(name);
    } catch (e) {
      // marks are for measuring only
    }
  }
}

function addScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.async = true;
    script.onload = () =>
      window.Plotly ? resolve(window.Plotly) : reject(new Error("plotly.js did not define Plotly"));
    script.onerror = () => reject(new Error(`could not load ${url}`));
    document.head.appendChild(script);
  });
}

function loadPlotly(url, bundle) {
  if (bundle === "full") {
    if (!window.__nnPlaygroundPlotlyFull) {
      const before = window.__nnPlaygroundPlotly || Promise.resolve(null);
      window.__nnPlaygroundPlotlyFull = before
        .catch(() => null)
        .then(() => addScript(url))
        .catch((err) => {
          window.__nnPlaygroundPlotlyFull = null; // let the next figure try again
          throw err;
        });
    }
    return window.__nnPlaygroundPlotlyFull.then((P) => {
      mark("nn-plotly-loaded");
      return P;
    });
  }
  if (window.Plotly && !window.__nnPlaygroundPlotly) {
    return Promise.resolve(window.Plotly);
  }
  if (!window.__nnPlaygroundPlotly) {
    window.__nnPlaygroundPlotly = addScript(url).catch((err) => {
      window.__nnPlaygroundPlotly = null;
      throw err;
    });
  }
  return window.__nnPlaygroundPlotly.then((P) => {
    mark("nn-plotly-loaded");
    return P;
  });
}

// Every font size of a figure times `scale` (layout and traces; marker sizes untouched).
function scaleFonts(obj, scale) {
  if (Array.isArray(obj)) {
    obj.forEach((v) => scaleFonts(v, scale));
    return;
  }
  if (!obj || typeof obj !== "object" || ArrayBuffer.isView(obj)) {
    return;
  }
  for (const [k, v] of Object.entries(obj)) {
    if (v && typeof v === "object") {
      if (/font$/i.test(k) && typeof v.size === "number") {
        v.size = Math.round(v.size * scale);
      }
      if (!("bdata" in v)) {
        scaleFonts(v, scale);
      }
    }
  }
}

function fontScale(width) {
  return width > 0 && width < NARROW_PX ? Math.max(MIN_FONT_SCALE, width / NARROW_PX) : 1;
}

function draw(Plotly, div) {
  const figure = div.nnFigure;
  const scale = fontScale(div.clientWidth);
  div.nnScale = scale;
  let layout = figure.layout;
  let data = figure.data;
  if (scale !== 1) {
    const copy = JSON.parse(JSON.stringify({ data, layout }));
    scaleFonts(copy, scale);
    ({ data, layout } = copy);
  }
  if (div.nnPlotly && div.nnPlotly !== Plotly) {
    div.nnPlotly.purge(div); // drawn by the other bundle: start afresh with this one
  }
  div.nnPlotly = Plotly;
  return Plotly.react(div, data, layout, div.nnConfig || {});
}

function sameBytes(a, b) {
  if (a.length !== b.length) {
    return false;
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return false;
    }
  }
  return true;
}

// The frame's serial drawn by each chart of a page, and reported per group (serials grow
// over the browser tab's life, see playground/ui/session.py new_frame_serial).
function reportDrawn(payload, setStateValue) {
  if (payload.frame === null || payload.frame === undefined || !setStateValue) {
    return;
  }
  const drawn = (window.__nnDrawn = window.__nnDrawn || {});
  drawn[payload.name] = Math.max(drawn[payload.name] || 0, payload.frame);
  const group = payload.group || [payload.name];
  if (!group.every((k) => (drawn[k] || 0) >= payload.frame)) {
    return;
  }
  const reported = (window.__nnReported = window.__nnReported || {});
  const id = group.join("|");
  if ((reported[id] || 0) >= payload.frame) {
    return;
  }
  reported[id] = payload.frame;
  setStateValue("drawn", payload.frame);
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  mark("nn-chart-first-call");
  let div = parentElement.querySelector(":scope > .nn-live-chart");
  if (!div) {
    div = document.createElement("div");
    div.className = "nn-live-chart";
    div.style.width = "100%";
    div.setAttribute("role", "img");
    parentElement.appendChild(div);
  }
  // The same figure again (a run of a playing page that waits for this browser to draw
  // the frame it has, see playground/ui/session.py start_frame): nothing to draw.
  const bytes = ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : data instanceof ArrayBuffer ? new Uint8Array(data) : null;
  if (bytes && div.nnBytes && sameBytes(bytes, div.nnBytes)) {
    return;
  }
  div.nnBytes = bytes ? bytes.slice() : null;
  const payload = bytes ? JSON.parse(new TextDecoder().decode(bytes)) : data;
  const figure = payload.figure;
  if (payload.alt) {
    div.setAttribute("aria-label", payload.alt);
  }
  const height = figure.layout && figure.layout.height;
  if (height) {
    div.style.height = `${height}px`; // the space is kept while plotly.js loads
  }
  // Draw only the newest figure: updates that queue up behind a slow draw are dropped.
  const seq = (div.nnSeq = (div.nnSeq || 0) + 1);
  div.nnChain = (div.nnChain || Promise.resolve())
    .then(() => loadPlotly(payload.plotly, payload.bundle))
    .then((Plotly) => {
      if (seq !== div.nnSeq) {
        return null;
      }
      div.nnFigure = figure;
      div.nnConfig = payload.config || {};
      if (!div.nnResize) {
        // Columns change width when the sidebar opens or the window resizes; crossing
        // NARROW_PX changes the fonts, which needs the figure drawn again.
        div.nnResize = new ResizeObserver(() => {
          if (!div.isConnected || !div.layout || !div.nnPlotly) {
            return;
          }
          if (fontScale(div.clientWidth) !== div.nnScale) {
            draw(div.nnPlotly, div);
          } else {
            div.nnPlotly.Plots.resize(div);
          }
        });
        div.nnResize.observe(div);
      }
      return draw(Plotly, div).then(() => {
        mark("nn-chart-first-draw");
        reportDrawn(payload, setStateValue);
      });
    })
    .catch((err) => {
      div.textContent = `This chart could not be drawn: ${err.message}`;
      reportDrawn(payload, setStateValue); // what the student sees: play goes on
    });
  // No cleanup function: Streamlit may run a superseded call's cleanup right after the
  // next figure was drawn, which would blank the chart. An unmounted chart goes with its
  // element (the observer only holds the detached div).
}
