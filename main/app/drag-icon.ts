// A small recording icon for drags out of the window (startDrag needs a non-empty image).
export const DRAG_ICON_DATA_URL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAAVUlEQVR4nO3UsQkAIAwFUedxLLd2moiFYBGLHwQV7yBNCvMqUyJalEu1nQMAAIAwoOc9qO5DgJF3RN3LAJvyjqh7AAAAyIDj/8AVP+HOAQDgPQB9UwOOQxZkI5gKAQAAAABJRU5ErkJggg==';
