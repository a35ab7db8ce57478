/*
 * om-markdoc: behaviour for the OpenMetadata docs tags.
 *
 * - YouTube facade: nothing is loaded from YouTube until the reader clicks; the click replaces
 *   the link by the youtube-nocookie.com player.  Without JavaScript the link opens the player.
 * - Annotated code: hovering or focusing a numbered note highlights the code it explains.
 *
 * Works with Material's instant navigation (re-run on every page via `document$`) and without it.
 */
(function () {
  "use strict";

  var VIDEO_ID = /^[A-Za-z0-9_-]{6,20}$/;
  var SECONDS = /^\d+$/;

  function playerUrl(box) {
    var id = box.getAttribute("data-video-id") || "";
    if (!VIDEO_ID.test(id)) return null;
    var params = ["autoplay=1"];
    var start = box.getAttribute("data-start");
    var end = box.getAttribute("data-end");
    if (start && SECONDS.test(start)) params.push("start=" + start);
    if (end && SECONDS.test(end)) params.push("end=" + end);
    return "https://www.youtube-nocookie.com/embed/" + encodeURIComponent(id) + "?" + params.join("&");
  }

  function play(box) {
    var url = playerUrl(box);
    if (!url) return false;
    var frame = document.createElement("iframe");
    frame.src = url;
    frame.title = box.getAttribute("data-title") || "YouTube video";
    frame.allow = "accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    box.replaceChildren(frame);
    frame.focus();
    return true;
  }

  function setupVideos(root) {
    root.querySelectorAll(".om-youtube[data-video-id]").forEach(function (box) {
      if (box.dataset.omReady) return;
      box.dataset.omReady = "1";
      var link = box.querySelector(".om-youtube__link");
      if (!link) return;
      link.addEventListener("click", function (event) {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
        if (play(box)) event.preventDefault();
      });
    });
  }

  function setupCodeInfos(root) {
    root.querySelectorAll(".om-code-preview").forEach(function (preview) {
      if (preview.dataset.omReady) return;
      preview.dataset.omReady = "1";
      preview.querySelectorAll(".om-code-info[data-sr-number]").forEach(function (info) {
        var number = info.getAttribute("data-sr-number");
        var blocks = Array.prototype.filter.call(
          preview.querySelectorAll(".highlight[data-sr-number]"),
          function (block) { return block.getAttribute("data-sr-number") === number; }
        );
        if (!blocks.length) return;
        function toggle(on) {
          info.classList.toggle("om-code-info--active", on);
          blocks.forEach(function (block) { block.classList.toggle("om-code--active", on); });
        }
        info.addEventListener("mouseenter", function () { toggle(true); });
        info.addEventListener("mouseleave", function () { toggle(false); });
        info.addEventListener("focusin", function () { toggle(true); });
        info.addEventListener("focusout", function () { toggle(false); });
      });
    });
  }

  /*
   * Version switches keep the reader's place: the same page in the target version, else its
   * nearest existing parent, else the version's home; never a 404.  Each version's site lists
   * its slugs in om-slugs.json; the page says its own slug in span.om-page.
   */
  function nearest(slugs, slug) {
    var known = {};
    slugs.forEach(function (s) { known[s] = true; });
    var candidate = slug.replace(/\/+$/, "") || "/";
    while (!known[candidate] && candidate !== "/") {
      candidate = candidate.slice(0, candidate.lastIndexOf("/")) || "/";
    }
    return candidate;
  }

  function switchVersion(link, marker) {
    var target = new URL(link.getAttribute("href"), location.href);
    if (!/\/$/.test(target.pathname)) target.pathname += "/";
    var slug = marker.getAttribute("data-slug") || "/";
    return fetch(new URL("om-slugs.json", target).href)
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (slugs) {
        var place = nearest(Array.isArray(slugs) ? slugs : [], slug);
        return new URL(place === "/" ? "" : place.replace(/^\//, "") + "/", target).href;
      })
      .catch(function () { return target.href; });
  }

  var switching = false;
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a.md-version__link") : null;
    var marker = document.querySelector("span.om-page[data-slug]");
    if (!link || !marker || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (switching) return;
    switching = true;
    switchVersion(link, marker).then(function (url) { location.href = url; });
  }, true);

  function setup() {
    setupVideos(document);
    setupCodeInfos(document);
  }

  if (typeof window.document$ !== "undefined" && window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
