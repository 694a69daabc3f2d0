#define GL_GLEXT_PROTOTYPES
#include <GL/gl.h>
#include <GL/glext.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <filesystem>
#include <map>

#include "models/files/replace_file.hpp"
#include "viz/texture_cache.hpp"
#include "viz/theme.hpp"
#include "viz/window.hpp"

namespace viz {
namespace {
std::string glfw_error;
void remember_error(int, const char* description) {
    glfw_error = description;
}
}  // namespace

Window::Window(const Options& options) : options_(options) {
    glfwSetErrorCallback(remember_error);
    if (!glfwInit()) {
        throw NoDisplay("cannot open a window: no X display (" + glfw_error +
                        "). Run it under a virtual one: xvfb-run -a trialtwin-viz …");
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GL_TRUE);
    glfwWindowHint(GLFW_VISIBLE, options.offscreen ? GLFW_FALSE : GLFW_TRUE);
    const int w = options.offscreen ? 64 : options.width,
              h = options.offscreen ? 64 : options.height;
    window_ = glfwCreateWindow(w, h, options.title.c_str(), nullptr, nullptr);
    if (!window_) {
        glfwTerminate();
        throw NoDisplay("cannot create an OpenGL 3.3 window (" + glfw_error +
                        "). Under a server without a display run: xvfb-run -a trialtwin-viz …");
    }
    glfwMakeContextCurrent(window_);
    glfwSwapInterval(options.offscreen ? 0 : 1);

    if (options.offscreen) {
        width_ = options.width;
        height_ = options.height;
        glGenFramebuffers(1, &framebuffer_);
        glGenRenderbuffers(1, &colour_);
        glBindRenderbuffer(GL_RENDERBUFFER, colour_);
        glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width_, height_);
        glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, colour_);
        if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
            glfwDestroyWindow(window_);
            glfwTerminate();
            throw NoDisplay("cannot make an offscreen framebuffer of " + std::to_string(width_) +
                            "x" + std::to_string(height_));
        }
    }

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    theme::apply(options.font_size);
    ImGui_ImplGlfw_InitForOpenGL(window_, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");
}

namespace {
struct CachedTexture {
    GLuint id = 0;
    std::uint64_t version = 0;
};
std::map<const void*, CachedTexture>& textures() {
    static std::map<const void*, CachedTexture> cache;
    return cache;
}
}  // namespace

ImTextureID cached_texture(const void* owner, std::uint64_t version, int width, int height,
                           const std::function<std::vector<ImU32>()>& make) {
    CachedTexture& t = textures()[owner];
    if (t.id != 0 && t.version == version)
        return reinterpret_cast<ImTextureID>(std::uintptr_t(t.id));
    if (t.id == 0) glGenTextures(1, &t.id);
    t.version = version;
    glBindTexture(GL_TEXTURE_2D, t.id);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    const std::vector<ImU32> rgba = make();
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                 rgba.data());
    return reinterpret_cast<ImTextureID>(std::uintptr_t(t.id));
}

void release_textures() {
    for (auto& [owner, t] : textures())
        glDeleteTextures(1, &t.id);
    textures().clear();
}

Window::~Window() {
    release_textures();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    if (framebuffer_) {
        glDeleteFramebuffers(1, &framebuffer_);
        glDeleteRenderbuffers(1, &colour_);
    }
    glfwDestroyWindow(window_);
    glfwTerminate();
}

bool Window::should_close() const {
    return glfwWindowShouldClose(window_);
}
void Window::close() {
    glfwSetWindowShouldClose(window_, GLFW_TRUE);
}

void Window::begin_frame() {
    glfwPollEvents();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    if (framebuffer_) {
        io.DisplaySize = ImVec2(float(width_), float(height_));
        io.DisplayFramebufferScale = ImVec2(1, 1);
        io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);  // a slide shows no hover
    } else {
        glfwGetFramebufferSize(window_, &width_, &height_);
    }
    ImGui::NewFrame();
}

void Window::end_frame() {
    ImGui::Render();
    glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
    glViewport(0, 0, width_, height_);
    glClearColor(1, 1, 1, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

Image Window::read_pixels() const {
    Image image;
    image.width = width_;
    image.height = height_;
    image.rgba.resize(std::size_t(width_) * height_ * 4);
    glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
    if (!framebuffer_) glReadBuffer(GL_BACK);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glFinish();
    glReadPixels(0, 0, width_, height_, GL_RGBA, GL_UNSIGNED_BYTE, image.rgba.data());
    // OpenGL's first row is the bottom one.
    const std::size_t stride = std::size_t(width_) * 4;
    for (int y = 0; y < height_ / 2; ++y)
        std::swap_ranges(image.rgba.begin() + y * stride, image.rgba.begin() + (y + 1) * stride,
                         image.rgba.begin() + (height_ - 1 - y) * stride);
    for (std::size_t i = 3; i < image.rgba.size(); i += 4)
        image.rgba[i] = 255;  // slides are opaque
    return image;
}

void Window::present() {
    glfwSwapBuffers(window_);
}

void Window::finish() {
    glFinish();
}

void write_png(const Image& image, const std::string& path) {
    // Encoded in memory, then written with every write checked: stb's own file writer does
    // not check its writes, and on a full disk left a truncated PNG that it called written.
    std::string png;
    const auto append = [](void* to, void* data, int size) {
        static_cast<std::string*>(to)->append(static_cast<const char*>(data),
                                              static_cast<std::size_t>(size));
    };
    if (!stbi_write_png_to_func(append, &png, image.width, image.height, 4, image.rgba.data(),
                                image.width * 4))
        throw std::runtime_error("cannot write " + path + ": the image could not be encoded");
    // (A link's file is replaced, not the link; a device, a pipe or a folder is refused.)
    const files::WriteOutcome written = files::write_whole_file(path, png);
    if (!written.done()) throw std::runtime_error("cannot write " + path + ": " + written.error);
}

}  // namespace viz
