(function () {
  var player = document.getElementById('player');
  var svg = document.getElementById('timeline');
  if (!player) return;
  function play(t) { player.currentTime = Math.max(0, t); player.play(); }
  // The words under the player as they are said, from the <track>'s cues.
  var track = document.getElementById('captions'), caption = document.getElementById('caption');
  if (track && caption) {
    track.track.mode = 'hidden';
    track.track.addEventListener('cuechange', function () {
      caption.textContent = '';
      var cues = track.track.activeCues;
      if (cues && cues.length) caption.appendChild(cues[0].getCueAsHTML());
    });
  }
  document.querySelectorAll('[data-t]').forEach(function (el) {
    el.addEventListener('click', function (ev) { ev.stopPropagation(); play(parseFloat(el.getAttribute('data-t'))); });
  });
  if (!svg) return;
  var x0 = parseFloat(svg.getAttribute('data-x0')), pps = parseFloat(svg.getAttribute('data-pps'));
  var head = document.getElementById('playhead');
  svg.addEventListener('click', function (ev) {
    var p = svg.createSVGPoint(); p.x = ev.clientX; p.y = ev.clientY;
    var q = p.matrixTransform(svg.getScreenCTM().inverse());
    play((q.x - x0) / pps);
  });
  player.addEventListener('timeupdate', function () {
    var x = x0 + player.currentTime * pps;
    head.setAttribute('x1', x); head.setAttribute('x2', x); head.setAttribute('visibility', 'visible');
  });
})();
