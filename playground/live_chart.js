// A Plotly chart that updates in place: the browser half of playground/ui_chart.py.
//
// Streamlit calls the default export every time the component's data changes, with the
// same parentElement: the chart div made on the first call stays, and each new figure
// goes through Plotly.react, which redraws only what changed. No blank frame between
// two figures, and a student's zoom survives (layout.uirevision).
//
// data = the UTF-8 bytes of the JSON text {figure: {data, layout}, config: Plotly config,
// plotly: URL of plotly.min.js}. plotly.js is loaded once per page, as a classic script
// (window.Plotly).

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
        window.__nnPlaygroundPlotly = null; // let the next figure try again
        reject(new Error(`could not load ${url}`));
      };
      document.head.appendChild(script);
    });
  }
  return window.__nnPlaygroundPlotly;
}

export default function (component) {
  const { data, parentElement } = component;
  let div = parentElement.querySelector(":scope > .nn-live-chart");
  if (!div) {
    div = document.createElement("div");
    div.className = "nn-live-chart";
    div.style.width = "100%";
    parentElement.appendChild(div);
  }
  const payload = ArrayBuffer.isView(data) || data instanceof ArrayBuffer
    ? JSON.parse(new TextDecoder().decode(data))
    : data;
  const figure = payload.figure;
  const height = figure.layout && figure.layout.height;
  if (height) {
    div.style.height = `${height}px`; // the space is kept while plotly.js loads
  }
  // Draw only the newest figure: updates that queue up behind a slow draw are dropped.
  const seq = (div.nnSeq = (div.nnSeq || 0) + 1);
  div.nnChain = (div.nnChain || Promise.resolve())
    .then(() => loadPlotly(payload.plotly))
    .then((Plotly) => {
      if (seq !== div.nnSeq) {
        return null;
      }
      if (!div.nnResize) {
        // Columns change width when the sidebar opens or the window resizes.
        div.nnResize = new ResizeObserver(() => {
          if (div.isConnected && div.layout) {
            Plotly.Plots.resize(div);
          }
        });
        div.nnResize.observe(div);
      }
      return Plotly.react(div, figure.data, figure.layout, payload.config || {});
    })
    .catch((err) => {
      div.textContent = `This chart could not be drawn: ${err.message}`;
    });
  // No cleanup function: Streamlit may run a superseded call's cleanup right after the
  // next figure was drawn, which would blank the chart. An unmounted chart goes with its
  // element (the observer only holds the detached div).
}
