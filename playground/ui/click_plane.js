// A Plotly plane that reports where it is clicked, in data coordinates: the browser half
// of playground/ui/click_plane.py.
//
// plotly.js only reports clicks on existing points (plotly_click, or st.plotly_chart's
// selection), so a click on an empty part of the plane would be lost and a click near a
// point would snap to it. Here the chart div listens to the click itself and converts
// the pixel under the pointer into (x1, x2) with the axes' own pixel-to-data functions
// (xaxis.p2c, yaxis.p2c): a point lands exactly where it is clicked.
//
// data = the UTF-8 bytes of the JSON text {figure, config, plotly: URL of plotly.min.js}.
// Each click sends one trigger value {x, y, id}; the id lets the server add each click
// once even if Streamlit delivers it twice.

const MAX_MOVE_PX = 5; // a press that moved further is a drag, not a click
const ECHO_MS = 400; // the same click seen twice (plotly re-dispatches a click event)

function loadPlotly(url) {
  if (window.Plotly) {
    return Promise.resolve(window.Plotly);
  }
  if (!window.__nnPlaygroundPlotly) {
    window.__nnPlaygroundPlotly = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.async = true;
      script.onload = () =>
        window.Plotly ? resolve(window.Plotly) : reject(new Error("plotly.js did not define Plotly"));
      script.onerror = () => {
        window.__nnPlaygroundPlotly = null;
        reject(new Error(`could not load ${url}`));
      };
      document.head.appendChild(script);
    });
  }
  return window.__nnPlaygroundPlotly;
}

// The plot area's data coordinates under a pointer event, or null outside it (margins,
// colour bar, legend).
function dataPoint(div, event) {
  const layout = div._fullLayout;
  if (!layout || !layout.xaxis || !layout.yaxis) {
    return null;
  }
  if (event.target && event.target.closest && event.target.closest(".legend, .colorbar")) {
    return null;
  }
  const xa = layout.xaxis;
  const ya = layout.yaxis;
  const rect = div.getBoundingClientRect();
  const px = event.clientX - rect.left - xa._offset;
  const py = event.clientY - rect.top - ya._offset;
  if (px < 0 || px > xa._length || py < 0 || py > ya._length) {
    return null;
  }
  const x = xa.p2c(px);
  const y = ya.p2c(py);
  return Number.isFinite(x) && Number.isFinite(y) ? { x, y } : null;
}

function listen(div) {
  let down = null;
  let last = null;
  div.addEventListener(
    "pointerdown",
    (e) => {
      down = { x: e.clientX, y: e.clientY };
    },
    true,
  );
  div.addEventListener("click", (e) => {
    if (down && Math.hypot(e.clientX - down.x, e.clientY - down.y) > MAX_MOVE_PX) {
      return;
    }
    const now = performance.now();
    if (last && now - last.t < ECHO_MS && last.cx === e.clientX && last.cy === e.clientY) {
      return;
    }
    const point = dataPoint(div, e);
    if (!point) {
      return;
    }
    last = { t: now, cx: e.clientX, cy: e.clientY };
    div.nnClicks = (div.nnClicks || 0) + 1;
    const id = `${Date.now().toString(36)}-${div.nnClicks}-${Math.random().toString(36).slice(2, 8)}`;
    div.nnReport("click", { x: point.x, y: point.y, id });
  });
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let div = parentElement.querySelector(":scope > .nn-click-plane");
  if (!div) {
    div = document.createElement("div");
    div.className = "nn-click-plane";
    div.style.width = "100%";
    div.style.cursor = "crosshair";
    parentElement.appendChild(div);
    listen(div);
  }
  div.nnReport = setTriggerValue; // the newest mount's reporter
  const payload = ArrayBuffer.isView(data) || data instanceof ArrayBuffer
    ? JSON.parse(new TextDecoder().decode(data))
    : data;
  const figure = payload.figure;
  const height = figure.layout && figure.layout.height;
  if (height) {
    div.style.height = `${height}px`;
  }
  const seq = (div.nnSeq = (div.nnSeq || 0) + 1);
  div.nnChain = (div.nnChain || Promise.resolve())
    .then(() => loadPlotly(payload.plotly))
    .then((Plotly) => {
      if (seq !== div.nnSeq) {
        return null;
      }
      if (!div.nnResize) {
        div.nnResize = new ResizeObserver(() => {
          if (div.isConnected && div.layout) {
            Plotly.Plots.resize(div);
          }
        });
        div.nnResize.observe(div);
      }
      return Plotly.react(div, figure.data, figure.layout, payload.config || {});
    })
    .then(() => {
      // plotly.js sets its own cursor on the drag layer; a crosshair says "click here".
      div.querySelectorAll(".nsewdrag").forEach((el) => {
        el.style.cursor = "crosshair";
      });
    })
    .catch((err) => {
      div.textContent = `This chart could not be drawn: ${err.message}`;
    });
}
